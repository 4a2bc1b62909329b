# ikesec top-level Makefile: the module, the two programs, tests.
#   make            build everything (installs missing build packages first)
#   make check      unit tests, then selftests (in QEMU unless this kernel
#                   can load modules); T=name runs the matching tests only
#   make demo       an IKEv2 tunnel between two namespaces (ikedaemon both sides)
#   make demo-manual  the same with manual keys (ikectl sa/policy)
#   make deps       install what build, tests and demo need (Debian)
#   make bench      ikesec vs XFRM vs WireGuard in one VM boot (~15 min under
#                   TCG) into bench/results/; make bench-smoke: a 2-minute
#                   run asserting every row gets a number (bench/README.md)
#   make clean

KVER ?= $(shell for d in $$(ls -d /lib/modules/*/build 2>/dev/null | sort -V -r); do \
		v=$${d#/lib/modules/}; echo $${v%/build}; break; done)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(CURDIR)/.build
export KVER KDIR BUILD

.PHONY: all deps module module-debug programs check demo demo-manual clean style \
	bench bench-build bench-smoke

all: deps module programs

deps:
	@./selftests/deps.sh

module:
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)': run 'make deps' or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

module-debug:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 CONFIG_IKESEC_DEBUG=y modules

programs:
	$(MAKE) -C ikectl
	$(MAKE) -C ikedaemon

check: all
	@./selftests/run_check.sh

demo: all
	@./selftests/demo_ike.sh

demo-manual: all
	@./selftests/demo.sh

# Only what the benchmark runs: the module, ikectl and bench/sa_flood.
bench-build: deps module
	$(MAKE) -C ikectl
	$(MAKE) -C ikedaemon
	$(MAKE) -C bench

bench: bench-build
	@./bench/run.sh

bench-smoke: bench-build
	@./bench/run.sh --smoke

# checkpatch is not in Debian's headers package: take it from linux-source.
CHECKPATCH := $(BUILD)/checkpatch/scripts/checkpatch.pl
$(CHECKPATCH):
	@mkdir -p $(BUILD)/checkpatch
	tar -xJf $$(ls /usr/src/linux-source-*.tar.xz | sort -V | tail -n 1) \
		-C $(BUILD)/checkpatch --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'

style: $(CHECKPATCH)
	$(CHECKPATCH) --no-tree --terse --strict -f kmod/*.[ch] include/uapi/linux/ikesec.h

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1
	$(MAKE) -C ikectl clean
	$(MAKE) -C ikedaemon clean
	$(MAKE) -C selftests clean
	$(MAKE) -C bench clean
	rm -rf $(BUILD)
