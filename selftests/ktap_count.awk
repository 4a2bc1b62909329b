# Count KTAP results of unit tests and kselftest runner output; prints
# "passed failed skipped". A test program with subtests counts as its
# subtests; one that failed without a failing subtest (crash, timeout,
# bad exit) adds one failure.
function leaf(ok, skip) {
	if (skip) s++; else if (ok) p++; else f++
}
/^# selftests: / { nested_p = nested_f = nested_s = 0; inprog = 1; next }
inprog && /^# +(not )?ok [0-9]+/ {
	line = $0; sub(/^# +/, "", line)
	if (line ~ /# SKIP/) nested_s++
	else if (line ~ /^ok/) nested_p++
	else nested_f++
	next
}
/^(not )?ok( |$)/ {
	ok = ($0 ~ /^ok/); skip = ($0 ~ /# SKIP/)
	if (inprog && nested_p + nested_f + nested_s > 0) {
		p += nested_p; f += nested_f; s += nested_s
		if (!ok && nested_f == 0) f++
	} else {
		leaf(ok, skip)
	}
	inprog = 0
}
END { printf "%d %d %d\n", p, f, s }
