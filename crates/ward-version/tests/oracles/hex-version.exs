# Oracle for ward's Hex scheme: Elixir's own Version module.
# One case per line on stdin, tab-separated; one answer per line on stdout:
#   compare<TAB>A<TAB>B       -> lt | eq | gt            (Version.compare/2)
#   version<TAB>S             -> valid | invalid         (Version.parse/1)
#   requirement<TAB>S         -> valid | invalid         (Version.parse_requirement/1)
#   match<TAB>V<TAB>REQ       -> true | false | invalid  (Version.match?/3, allow_pre: true)
answer = fn line ->
  case String.split(line, "\t") do
    ["compare", a, b] ->
      Atom.to_string(Version.compare(a, b))

    ["version", s] ->
      if match?({:ok, _}, Version.parse(s)), do: "valid", else: "invalid"

    ["requirement", s] ->
      try do
        if match?({:ok, _}, Version.parse_requirement(s)), do: "valid", else: "invalid"
      rescue
        _ -> "invalid"
      end

    ["match", v, req] ->
      case Version.parse_requirement(req) do
        {:ok, r} -> to_string(Version.match?(v, r, allow_pre: true))
        :error -> "invalid"
      end
  end
end

IO.stream(:stdio, :line)
|> Stream.map(&String.trim_trailing(&1, "\n"))
|> Stream.map(answer)
|> Enum.each(&IO.puts/1)
