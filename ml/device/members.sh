#!/usr/bin/env bash
# Trains ensemble members on a GPU machine lent through the `device` tool, in one prepared call.
#
# That machine receives only the working tree (64 MiB at most) and cannot read ../shared, and 8
# files of 16 MiB at most come back. So, here first:
#   PYTHONPATH=ml /usr/bin/python3 -m dermlink_ml pack --recipe RECIPE --to .device   # about 54 MiB
#   mv models/model.onnx /tmp/    # 53.6 MB would not fit beside the pack; put it back after the call
# then the device tool's run with
#   command "bash ml/device/members.sh RECIPE 0 1 2 3", carry [".device"], timeout_s 600
# and back here, with models/model.onnx put back:
#   for t in FILES_AT/*.tar; do tar -C .cache/train -xf "$t"; done   # the member folders
#   npm run train -- --recipe RECIPE --no-install        # finds the members, finishes on this CPU
#
# Each member trains in its own process on the GPU (`--device cuda`), fed by worker processes that
# draw and augment its batches on the CPU cores (`--workers`, seeded per batch). run.log comes
# back with the members' logs; each finished member comes back as RECIPE_member-K.tar.
set -euo pipefail
recipe=${1:?usage: members.sh RECIPE MEMBER...}
shift
[ $# -gt 0 ] || { echo "members.sh: name the members to train (their index in the recipe)" >&2; exit 2; }
[ $# -le 7 ] || { echo "members.sh: at most 7 members a call (8 files come back)" >&2; exit 2; }
out=${OUT:?members.sh runs on the device machine, where OUT is set}
device=${DEVICE:-cuda}   # DEVICE=cpu PYTHON=/usr/bin/python3: a dry run of this script here
python=${PYTHON:-python3}
# Training stops after this many seconds, so the logs and finished members still come back inside
# the call's 10 minutes; a member stopped early is named in run.log with its last epoch (size the
# next call by it: its checkpoint is too large to come back).
budget=${BUDGET_S:-540}
export PYTHONPATH=ml PYTHONUNBUFFERED=1 OMP_WAIT_POLICY=PASSIVE
cores=$(nproc)
workers=$(( (cores - $#) / $# ))
[ "$workers" -ge 1 ] || workers=1
# Its own cache and work folders: a dry run here (DEVICE=cpu) leaves .cache/prepared and .cache/train alone.
cache=.cache/device/prepared
work=.cache/device/train
mkdir -p "$work"
common=(--recipe "$recipe" --ham .device/ham10000 --pad .device/pad-ufes-20-dev --pretrained .device/pretrained --cache "$cache" --work "$work")
log="$out/run.log"
{
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  "$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'
  "$python" -m dermlink_ml unpack --from .device/prepared --cache "$cache"
  echo "members.sh: members $* of $recipe, $workers batch workers each, $cores cores"
} 2>&1 | tee "$log"
started=$(date +%s)
pids=()
for k in "$@"; do
  timeout "$budget" "$python" -m dermlink_ml members "${common[@]}" --member "$k" --device "$device" --workers "$workers" --threads 1 >"$work/member-$k.log" 2>&1 &
  pids+=($!)
done
status=0
i=0
for k in "$@"; do
  code=0
  wait "${pids[$i]}" || code=$?
  i=$((i + 1))
  [ "$code" -eq 0 ] || status=1
  [ "$code" -ne 124 ] || code="124 (stopped at the ${budget} s budget: unfinished)"
  echo "members.sh: member $k exit $code" | tee -a "$log"
done
echo "members.sh: $(( $(date +%s) - started )) s of training" | tee -a "$log"
# Per member: its epoch summaries (JSON lines), any error, and where its progress bar stood.
for k in "$@"; do
  tr '\r' '\n' <"$work/member-$k.log" | grep -v '^\s*$' >"$work/member-$k.lines" || true
  {
    echo "== member $k"
    grep -E '^(\{|resuming|Traceback|  File|[A-Za-z.]*(Error|Exception))' "$work/member-$k.lines" || true
    tail -n 3 "$work/member-$k.lines"
  } >>"$log"
done
(cd "$work" && find . -name member.pt) | while read -r f; do
  dir=$(dirname "${f#./}")
  name="${dir//\//_}.tar"
  tar -C "$work" -cf "$out/$name" "$dir/member.pt" "$dir/history.json"
  echo "members.sh: $name" | tee -a "$log"
done
exit "$status"
