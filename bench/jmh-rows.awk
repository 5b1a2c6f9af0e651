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
END {
  for (d in eventdb) {
    flow = event[d, "signIn"]; cost = event[d, "signInEventWrites"] - event[d, "twoEmptyTransactions"]
    printf "| an event's cost on sign-in, %s (cheap hash: the database part) | %.1f µs of %.0f µs: %.1f%% | < 10%% | %s |\n", d, cost, flow, 100 * cost / flow, (cost < 0.1 * flow) ? "met" : "**missed**"
    flow = event[d, "refresh"]; cost = event[d, "eventInsert"] - event[d, "emptyTransaction"]
    printf "| an event's cost on refresh, %s | none when it rotates; %.1f µs of %.0f µs (%.1f%%) when it revokes a reused token | < 10%% | %s |\n", d, cost, flow, 100 * cost / flow, (cost < 0.1 * flow) ? "met" : "**missed**"
  }
  if (("typical" in signup) && ("worst" in signup)) {
    r = signup["worst"] / signup["typical"]
    printf "| sign-up worst ÷ typical password | ×%.2f | <= 2 | %s |\n", r, (r <= 2) ? "met" : "**missed**"
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
