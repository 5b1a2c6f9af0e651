-- POST /accounts/sessions (sign-in) with the sign-in user bench/run signed up: BENCH_EMAIL and BENCH_PASSWORD.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', os.getenv("BENCH_EMAIL"), os.getenv("BENCH_PASSWORD"))
