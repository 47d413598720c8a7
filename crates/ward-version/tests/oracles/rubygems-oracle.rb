# RubyGems oracle for ward-version's differential tests (tests/it/reference/rubygems.rs).
# Usage: ruby rubygems-oracle.rb MODE < cases, one JSON array per line, one answer per line:
#   compare   [a, b]                -> -1, 0 or 1 (Gem::Version#<=>), or "invalid"
#   valid     [s]                   -> "valid" or "invalid" (Gem::Version.correct?)
#   satisfies [[requirement, ...], v] -> "true" or "false" (satisfied_by?), or "invalid"
require "json"
require "rubygems"

mode = ARGV.fetch(0)
$stdout.sync = false
STDIN.each_line do |line|
  args = JSON.parse(line)
  answer =
    case mode
    when "compare"
      a, b = args
      if Gem::Version.correct?(a) && Gem::Version.correct?(b)
        (Gem::Version.new(a) <=> Gem::Version.new(b)).to_s
      else
        "invalid"
      end
    when "valid"
      Gem::Version.correct?(args[0]) ? "valid" : "invalid"
    when "satisfies"
      parts, version = args
      begin
        Gem::Requirement.new(*parts).satisfied_by?(Gem::Version.new(version)).to_s
      rescue ArgumentError
        "invalid"
      end
    else
      abort "unknown mode #{mode}"
    end
  puts answer
end
