-- wrk script of bench/serve.sh: every request is a new report through the JSON API, each with
-- its own title, as a reporter's client sends it. (No response() callback: wrk would parse every
-- body for it. wrk counts non-2xx answers itself and bench/serve.sh fails on any.)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local n = 0

function setup(thread)
    -- Distinct titles across threads.
    thread:set("prefix", tostring(math.random(1, 1000000000)))
end

function request()
    n = n + 1
    local body = string.format(
        '{"title":"Benchmark report %s-%d","description":"Load-test submission %d: ' ..
        'a path traversal in the static handler.","packages":[{"ecosystem":"npm",' ..
        '"name":"express","versions":"<4.19.2"}]}',
        prefix or "0", n, n)
    return wrk.format(nil, "/api/v1/reports", nil, body)
end
