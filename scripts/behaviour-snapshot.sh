#!/usr/bin/env bash
# behaviour-snapshot.sh OUTDIR: a snapshot of what the swatop command prints, to show that a change
# of the code changes no behaviour. Run it from the root of a checkout (it snapshots that checkout,
# wherever the script itself lives): it builds Swatop.Cli in Release once, then runs the built
# swatop.dll directly on a fixed list of deterministic commands (calibrate, run, check, tune with a
# fixed seed into a fresh database, report, emit, demo, the usage contracts) and writes, per command
# NAME, OUTDIR/NAME.stdout, NAME.stderr and NAME.exit, plus its artefacts (NAME.sha256 listings of
# emitted files, NAME.files/ with the emitted sources, the tuning database as written).
#
# Only wall-clock values are masked (as <s>, <ms>, <us>, <date>, <masked>): the seconds the host took
# to compile, emulate, check, tune, emit or measure, the pass timings, the record dates and the
# commit in the library version. Simulated times, cycles, GFLOPS, schedules and rankings are kept.
# Paths under the script's scratch folder print as <work>. OUTDIR/meta/ (commit, machine, the
# seconds each command took, the build log) is not part of the comparison.
#
# Compare two snapshots with scripts/behaviour-compare.sh BEFORE AFTER; see docs/behaviour-snapshot.md.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUTDIR   (run from the root of the checkout to snapshot)" >&2
    exit 2
fi

root=$(pwd)
if [[ ! -f "$root/Swatop.sln" || ! -d "$root/Swatop.Cli" ]]; then
    echo "behaviour-snapshot: run it from the root of a Swatop checkout (no Swatop.sln in $root)." >&2
    exit 2
fi

mkdir -p "$1"
out=$(cd "$1" && pwd)
if [[ -n $(ls -A "$out") ]]; then
    echo "behaviour-snapshot: $out is not empty; give a new or empty folder." >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/swatop-snapshot.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/meta" "$work/tmp" "$work/raw"

# The same environment for every snapshot: invariant text, no telemetry, a private temp folder
# (the demo writes its kernel to $TMPDIR/swatop-demo-kernel).
export LC_ALL=C.UTF-8 LANG=C.UTF-8 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export TMPDIR="$work/tmp"

now() { date +%s.%N; }
elapsed() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.1f", to - from }'; }
started=$(now)

{
    echo "checkout  $root"
    echo "commit    $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "date      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host      $(uname -srm), $(nproc) cores"
    echo "dotnet    $(dotnet --version)"
} >"$out/meta/about.txt"

echo "behaviour-snapshot: building Swatop.Cli (Release) in $root" >&2
build_start=$(now)
dotnet build "$root/Swatop.Cli/Swatop.Cli.csproj" -c Release -nologo >"$out/meta/build.log" 2>&1 \
    || { tail -n 30 "$out/meta/build.log" >&2; exit 1; }
cli="$root/Swatop.Cli/bin/Release/net10.0/swatop.dll"
[[ -f $cli ]] || { echo "behaviour-snapshot: the build wrote no $cli" >&2; exit 1; }
printf 'build\t%s\n' "$(elapsed "$build_start")" >>"$out/meta/seconds.tsv"

# Masks the wall-clock values of the CLI's text output (standard output and error alike).
mask_text() {
    sed -E \
        -e "s#${work}#<work>#g" \
        -e 's/[0-9]+\.[0-9]+ s to compile, emulate and check/<s> s to compile, emulate and check/' \
        -e 's/^(  tuning     )[0-9]+\.[0-9]+ s:/\1<s> s:/' \
        -e 's/applied the record of [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} from/applied the record of <date> from/' \
        -e 's/in [0-9]+\.[0-9]+ s each \(median\)/in <s> s each (median)/' \
        -e 's/(measured on the emulator, in )[0-9]+\.[0-9]+ s$/\1<s> s/' \
        -e '/^  passes     /s/ [0-9]+ us/ <us> us/g' \
        -e 's/[0-9]+\.[0-9]+ ms on the host \([0-9]+\.[0-9]+ GFLOPS of emulated work/<ms> ms on the host (<masked> GFLOPS of emulated work/' \
        -e 's/\(reference took [0-9]+ ms\)/(reference took <ms> ms)/' \
        -e 's/\(timing only, [0-9]+ ms on the host\)/(timing only, <ms> ms on the host)/' \
        -e 's/^report: tuning [0-9.]+ s median, [0-9.]+ s at most; measuring every point would take [0-9.]+ times as long \(median\), [0-9]+ times at least\./report: tuning <s> s median, <s> s at most; measuring every point would take <masked> times as long (median), <masked> times at least./'
}

# Masks, in CSV whose header (the first line) names them, the columns of host seconds; other text passes.
mask_csv() {
    awk -v cols="tuning_seconds,host_seconds,emit_seconds,verify_seconds,measure_seconds,exhaustive_seconds,exhaustive_ratio" '
        function field(k, v) { return (k in masked) && v != "" ? "<masked>" : v }
        BEGIN { n = split(cols, wanted, ",") }
        NR == 1 {
            count = split($0, header, ",")
            for (i = 1; i <= count; i++) for (j = 1; j <= n; j++) if (header[i] == wanted[j]) { masked[i] = 1; any = 1 }
            print; next
        }
        !any { print; next }
        {
            line = ""; k = 1; quoted = 0; value = ""
            for (i = 1; i <= length($0); i++) {
                c = substr($0, i, 1)
                if (c == "\"") quoted = !quoted
                if (c == "," && !quoted) { line = line field(k, value) ","; k++; value = ""; continue }
                value = value c
            }
            print line field(k, value)
        }'
}

# The tuning database as written: record dates and the commit in the library version masked.
mask_jsonl() {
    sed -E -e 's/"date":"[^"]*"/"date":"<date>"/g' -e 's/("libraryVersion":"[^"+]*)\+[0-9a-f]+"/\1+<commit>"/g' -e "s#${work}#<work>#g"
}

# snap NAME ARGS...: runs swatop ARGS from the checkout's root and keeps its masked output as NAME.*.
snap() {
    local name=$1
    shift
    printf '%s\tswatop %s\n' "$name" "$*" | sed "s#${work}#<work>#g" >>"$out/commands.tsv"
    echo "behaviour-snapshot: $name" >&2
    local start rc=0
    start=$(now)
    (cd "$root" && dotnet "$cli" "$@") >"$work/raw/$name.stdout" 2>"$work/raw/$name.stderr" </dev/null || rc=$?
    printf '%s\t%s\n' "$name" "$(elapsed "$start")" >>"$out/meta/seconds.tsv"
    echo "$rc" >"$out/$name.exit"
    mask_text <"$work/raw/$name.stdout" | mask_csv >"$out/$name.stdout"
    mask_text <"$work/raw/$name.stderr" >"$out/$name.stderr"
}

# artefact NAME DESCRIPTION: lists an output that is not a command's (compared like one).
artefact() { printf '%s\t(%s)\n' "$1" "$2" >>"$out/commands.tsv"; }

# listing DIR: the sha256 of every file under DIR, by relative path.
listing() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }

# Shapes files cut from the repository's: the first rows, the header and its comment kept.
head -n 6 "$root/data/shapes/swdnn-calibration.csv" >"$work/swdnn-calibration-4.csv"
{ head -n 2 "$root/data/shapes/resnet50-conv-b1.csv"; sed -n '4,6p' "$root/data/shapes/resnet50-conv-b1.csv"; } >"$work/resnet50-conv-b1-3.csv"

conv_readme=(--op conv2d --batch 8 --in-channels 64 --out-channels 64 --in-height 28 --in-width 28 --kernel 3 --pad 1)
conv_swdnn=(--op conv2d --batch 128 --in-channels 64 --out-channels 64 --in-height 18 --in-width 18 --kernel 3 --dtype float64)
conv_b128=(--op conv2d --batch 128 --in-channels 256 --out-channels 256 --in-height 14 --in-width 14 --kernel 3 --pad 1)
conv_row1=(--op conv2d --batch 128 --in-channels 128 --out-channels 128 --in-height 18 --in-width 18 --kernel 3 --dtype float64)
gemm_readme=(--op gemm --m 500 --n 300 --k 70 --transpose-a 1 --dtype float64)
db=(--database "$work/tuning.jsonl")

# The command-line contracts: usage texts and exit codes.
snap help help
snap run-usage run
snap unknown-command frobnicate

# The time model against the measured tables.
snap calibrate-shapes calibrate --shapes data/swdnn-conv-calibration.csv
snap calibrate-dma calibrate --dma

# One operator, default and swDNN schedules, checked against the reference.
snap run-gemm-default run "${gemm_readme[@]}" --schedule default
snap run-gemm-swdnn run "${gemm_readme[@]}" --schedule swdnn
snap run-gemm-batched-f32 run --op gemm --batch 2 --m 128 --n 96 --k 64 --transpose-b 1
snap run-fc-default run --op fc --batch 64 --in-channels 1024 --out-channels 1000
snap run-conv2d-default run "${conv_readme[@]}"
snap run-conv2d-nhwc-grouped run --op conv2d --batch 2 --in-channels 32 --out-channels 48 --in-height 15 --in-width 17 --kernel 3 --stride 2 --pad 1 --groups 2 --layout nhwc --seed 7
snap run-conv2d-swdnn-default run "${conv_swdnn[@]}" --schedule default
snap run-conv2d-swdnn run "${conv_swdnn[@]}" --schedule swdnn

# Every ResNet-50 convolution at batch 1, default schedules.
snap check-resnet50-b1 check --shapes data/shapes/resnet50-conv-b1.csv

# Tuning: model-guided, seed 1, a fresh database in the scratch folder; then a lookup of a record.
snap tune-conv2d-b128 tune "${conv_b128[@]}" --fresh "${db[@]}" --seed 1
snap tune-gemm tune "${gemm_readme[@]}" --fresh "${db[@]}" --seed 1
snap tune-fc tune --op fc --batch 64 --in-channels 1024 --out-channels 1000 --fresh "${db[@]}" --seed 1
snap tune-conv2d-swdnn-row1 tune "${conv_row1[@]}" --fresh "${db[@]}" --seed 1 --measured 4
snap tune-conv2d-b128-lookup tune "${conv_b128[@]}" "${db[@]}" --seed 1
snap tune-resnet50-b1 tune --shapes data/shapes/resnet50-conv-b1.csv --fresh "${db[@]}" --seed 1
snap tune-swdnn-calibration-4 tune --shapes "$work/swdnn-calibration-4.csv" --fresh "${db[@]}" --seed 1
snap run-conv2d-b128-tuned run "${conv_b128[@]}" --schedule tuned "${db[@]}"
artefact tune-database "the tuning database the commands above wrote"
mask_jsonl <"$work/tuning.jsonl" >"$out/tune-database.jsonl"

# The cost model's fidelity on three small layers (tuned, a uniform sample of 4 points measured).
snap report-resnet50-b1-3 report --shapes "$work/resnet50-conv-b1-3.csv" --samples 4 --seed 1

# athread C: every ResNet-50 batch-1 convolution (sha256 of every file, and the files); swDNN's
# schedule of one convolution.
snap emit-resnet50-b1 emit --out "$work/emit" --shapes data/shapes/resnet50-conv-b1.csv
listing "$work/emit" >"$out/emit-resnet50-b1.sha256"
cp -r "$work/emit" "$out/emit-resnet50-b1.files"
snap emit-conv2d-swdnn emit --out "$work/emit-swdnn" "${conv_swdnn[@]}" --schedule swdnn
listing "$work/emit-swdnn" >"$out/emit-conv2d-swdnn.sha256"
cp -r "$work/emit-swdnn" "$out/emit-conv2d-swdnn.files"

# The demo: a ResNet-50 layer tuned, emitted, run and checked; a GEMM; swDNN. Its kernel's files, hashed and kept.
snap demo demo
listing "$work/tmp/swatop-demo-kernel" >"$out/demo.sha256"
cp -r "$work/tmp/swatop-demo-kernel" "$out/demo.files"

total=$(elapsed "$started")
printf 'total\t%s\n' "$total" >>"$out/meta/seconds.tsv"
printf 'behaviour-snapshot: %s commands in %s s; written to %s\n' "$(grep -vc '^build\|^total' "$out/meta/seconds.tsv")" "$total" "$out" >&2
