#!/bin/sh
# Oracle: dpkg itself. Reads one case per line on stdin and prints one answer per line:
#   cmp A B   ->  <  =  >        (dpkg --compare-versions; "error" when dpkg refuses)
#   valid V   ->  valid | invalid (invalid when dpkg errors OR warns about V's syntax)
# dpkg is spawned per question (about a millisecond each); "--" keeps a version that starts
# with "-" (an epoch such as "-0:") from being read as an option.
while read -r kind a b; do
    case "$kind" in
    cmp)
        dpkg --compare-versions -- "$a" lt "$b" 2>/dev/null
        rc=$?
        if [ "$rc" -eq 0 ]; then
            echo "<"
        elif [ "$rc" -ne 1 ]; then
            echo "error"
        elif dpkg --compare-versions -- "$a" gt "$b" 2>/dev/null; then
            echo ">"
        else
            echo "="
        fi
        ;;
    valid)
        if out=$(dpkg --compare-versions -- "$a" eq "$a" 2>&1) && [ -z "$out" ]; then
            echo valid
        else
            echo invalid
        fi
        ;;
    *)
        echo "unknown case kind: $kind" >&2
        exit 2
        ;;
    esac
done
