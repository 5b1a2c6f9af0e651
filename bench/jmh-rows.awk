# Turns JMH's CSV (-rf csv) into rows of bench/run's markdown table; authenticate gets p50/p99 per database and
# the 1M / 1k ratios. Columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
# [,"Param: database","Param: sessions"]. Plain POSIX awk (Debian's mawk).
BEGIN { FS = "," }
function pm(e) { return (e ~ /^[0-9.]+$/) ? sprintf(" ± %.1f", e) : "" }
{ sub(/\r$/, "") }   # JMH writes CRLF
NR == 1 { next }
{
  for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
  full = $1; suffix = ""
  if (match(full, /:.*/)) { suffix = substr(full, RSTART); full = substr(full, 1, RSTART - 1) }
  n = split(full, parts, ".")
  bench = parts[n - 1]; method = parts[n] suffix; score = $5; err = pm($6); db = $8; sessions = $9
  if (bench == "HashingBenchmark")
    printf "| Argon2id %s, 1 thread (warm) | %.1f ms (%.2f/s%s) | | |\n", method, 1000 / score, score, err
  else if (bench == "ColdHashingBenchmark")
    printf "| Argon2id %s in a fresh JVM (cold, mean of %d forks) | %.0f ms%s | | |\n", method, $4, score, err
  else if (bench == "TokenBenchmark")
    printf "| token %s | %.0f ns%s | | |\n", method, score, err
  else if (bench == "SignInBenchmark")
    printf "| sign-in in process, %s, 1 thread (warm) | %.1f ms (%.2f/s%s) | | |\n", db, 1000 / score, score, err
  else if (bench == "SignUpBenchmark") {
    signup[method] = score
    printf "| sign-up in process, %s, %s password (warm) | %.1f ms%s | | |\n", db, method, score, err
  }
  else if (bench == "RefreshBenchmark")
    printf "| refresh in process, %s, 1 thread | %.0f/s (%.0f µs each) | | |\n", db, score, 1e6 / score
  else if (bench == "EventCostBenchmark") {
    event[db, method] = score; eventdb[db] = 1
  }
  else if (bench == "AuthenticateBenchmark") {
    key = db " " sessions
    if (method == "authenticate:p0.50") p50[key] = score
    if (method == "authenticate:p0.99") p99[key] = score
    if (method == "authenticate") mean[key] = score
  }
}
# EventCostBenchmark: the event's statements less the same empty transactions, as a share of the flow; wall time
# (the verdict) and the calling thread's CPU time (its aux counters cpuNanos and calls), which waiting for a core
# on a busy machine does not inflate.
function eventrow(d, what, flow, with, without, note,    f, c, cf, cc) {
  f = event[d, flow]; c = event[d, with] - event[d, without]
  cf = cpu(d, flow); cc = cpu(d, with) - cpu(d, without)
  printf "| an event's cost on %s, %s | %s%.1f µs of %.0f µs (%.1f%%); CPU of the calling thread %.1f µs of %.0f µs (%.1f%%) | < 10%% | %s |\n", what, d, note, c, f, 100 * c / f, cc, cf, (cf > 0) ? 100 * cc / cf : 0, (c < 0.1 * f) ? "met" : "**missed**"
}
function cpu(d, m) {
  return (((d, m ":calls") in event) && event[d, m ":calls"] > 0) ? event[d, m ":cpuNanos"] / event[d, m ":calls"] / 1000 : 0
}
END {
  for (d in eventdb) {
    eventrow(d, "sign-in (cheap hash: its database part)", "signIn", "signInEventWrites", "twoEmptyTransactions", "")
    eventrow(d, "refresh", "refresh", "eventInsert", "emptyTransaction", "none when it rotates; when it revokes a reused token ")
  }
  split("H2 H2_FILE POSTGRES", dbs, " ")
  for (d = 1; d <= 3; d++) {
    small = dbs[d] " 1000"; large = dbs[d] " 1000000"
    if (small in p50) printf "| authenticate, %s, 1k sessions | p50 %.0f µs, p99 %.0f µs (mean %.0f) | | |\n", dbs[d], p50[small], p99[small], mean[small]
    if (large in p50) {
      printf "| authenticate, %s, 1M sessions | p50 %.0f µs, p99 %.0f µs (mean %.0f) | | |\n", dbs[d], p50[large], p99[large], mean[large]
      if (small in p50) {
        r50 = p50[large] / p50[small]; r99 = p99[large] / p99[small]
        printf "| authenticate %s, 1M ÷ 1k | p50 ×%.2f, p99 ×%.2f | <= 1.5 | %s |\n", dbs[d], r50, r99, (r50 <= 1.5 && r99 <= 1.5) ? "met" : "**missed**"
      }
    }
  }
}
