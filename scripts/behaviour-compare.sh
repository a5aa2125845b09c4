#!/usr/bin/env bash
# behaviour-compare.sh [--normalize] BEFORE AFTER: compares two snapshots written by scripts/behaviour-snapshot.sh.
# With --normalize, both are first copied through scripts/behaviour-normalize.py, which writes every
# schedule in one spelling (its algorithm named, its operand decisions as a list) and drops the C#
# initializer from emitted files' comments, so that snapshots across a change of that spelling compare
# on what the schedules decide and on the code.
# Prints one line per command (in the order BEFORE ran them, then any only AFTER has): its name, the
# seconds it took in each snapshot (for information, never compared), and "identical" or "DIFFERS";
# then, for each command that differs, the diff of its files (standard output, standard error, exit
# code, artefacts). The commands' own list (commands.tsv) is compared too. Exits 0 when every command
# is identical, 1 when one differs or is missing, 2 on bad arguments.
set -euo pipefail

normalize=no
if [[ ${1:-} == --normalize ]]; then
    normalize=yes
    shift
fi

if [[ $# -ne 2 || ! -f $1/commands.tsv || ! -f $2/commands.tsv ]]; then
    echo "usage: $0 [--normalize] BEFORE AFTER   (two folders written by scripts/behaviour-snapshot.sh)" >&2
    exit 2
fi

before=$1
after=$2
if [[ $normalize == yes ]]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    python3 "$(dirname "$0")/behaviour-normalize.py" "$before" "$scratch/before"
    python3 "$(dirname "$0")/behaviour-normalize.py" "$after" "$scratch/after"
    echo "(normalized: schedules in one spelling, emitted files without their schedule's C# initializer)"
    before=$scratch/before
    after=$scratch/after
fi
lines=${BEHAVIOUR_DIFF_LINES:-60}

seconds() { awk -F '\t' -v name="$2" '$1 == name { print $2 }' "$1/meta/seconds.tsv" 2>/dev/null; }

# files NAME DIR: the files that belong to command NAME, relative to DIR.
files() { (cd "$2" && find . -path "./$1.*" -type f | sed 's#^\./##' | LC_ALL=C sort); }

names=$( { cut -f1 "$before/commands.tsv"; cut -f1 "$after/commands.tsv"; } | awk '!seen[$0]++')

echo "before: $before ($(sed -n 's/^commit *//p' "$before/meta/about.txt" 2>/dev/null))"
echo "after:  $after ($(sed -n 's/^commit *//p' "$after/meta/about.txt" 2>/dev/null))"
echo
printf '%-28s %9s %9s  %s\n' command "before s" "after s" result
differing=()
for name in commands.tsv $names; do
    if [[ $name == commands.tsv ]]; then
        label="(the list of commands)"
        same=$(cmp -s "$before/commands.tsv" "$after/commands.tsv" && echo yes || echo no)
    elif ! grep -q "^$name	" "$before/commands.tsv"; then
        label=$name same="only after"
    elif ! grep -q "^$name	" "$after/commands.tsv"; then
        label=$name same="only before"
    else
        label=$name
        same=yes
        if [[ "$(files "$name" "$before")" != "$(files "$name" "$after")" ]]; then
            same=no
        else
            while IFS= read -r file; do
                cmp -s "$before/$file" "$after/$file" || { same=no; break; }
            done < <(files "$name" "$before")
        fi
    fi

    case $same in
        yes) result=identical ;;
        no) result=DIFFERS; differing+=("$name") ;;
        *) result=$same; differing+=("$name") ;;
    esac
    printf '%-28s %9s %9s  %s\n' "$label" "$(seconds "$before" "$name")" "$(seconds "$after" "$name")" "$result"
done
printf '%-28s %9s %9s\n' "(build)" "$(seconds "$before" build)" "$(seconds "$after" build)"
printf '%-28s %9s %9s\n' "(total)" "$(seconds "$before" total)" "$(seconds "$after" total)"

for name in "${differing[@]}"; do
    echo
    echo "=== $name"
    if [[ $name == commands.tsv ]]; then
        diff -u "$before/commands.tsv" "$after/commands.tsv" | head -n "$lines" || true
        continue
    fi

    while IFS= read -r file; do
        if [[ ! -f $before/$file ]]; then
            echo "--- only after: $file"
        elif [[ ! -f $after/$file ]]; then
            echo "--- only before: $file"
        elif ! cmp -s "$before/$file" "$after/$file"; then
            diff -u --label "before/$file" --label "after/$file" "$before/$file" "$after/$file" | head -n "$lines" || true
        fi
    done < <( { files "$name" "$before"; files "$name" "$after"; } | awk '!seen[$0]++')
done

echo
if [[ ${#differing[@]} -eq 0 ]]; then
    echo "behaviour-compare: every command identical."
    exit 0
fi

echo "behaviour-compare: ${#differing[@]} differ: ${differing[*]}"
exit 1
