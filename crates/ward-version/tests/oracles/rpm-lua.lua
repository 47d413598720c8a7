-- Oracle: rpm 4.18's own comparison, run inside `rpm --eval` (see tests/it/reference/rpm.rs).
-- Reads one case per line on stdin, prints one answer per line (<, = or >):
--   vercmp A B   rpm.vercmp(A, B): rpmvercmp on two version or release strings
--   evr A B      rpm.ver(A) against rpm.ver(B): epoch, version, release
local function sign(n)
  if n < 0 then return "<" elseif n > 0 then return ">" else return "=" end
end
for line in io.lines() do
  local kind, a, b = line:match("^(%S+) (%S+) (%S+)$")
  if kind == "vercmp" then
    io.write(sign(rpm.vercmp(a, b)), "\n")
  elseif kind == "evr" then
    local x, y = rpm.ver(a), rpm.ver(b)
    if x < y then io.write("<\n") elseif x == y then io.write("=\n") else io.write(">\n") end
  else
    io.write("unparsable case: ", line, "\n")
  end
end
