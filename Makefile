# SPDX-License-Identifier: MIT
# iommu-inspect: plain Makefile. `make help` lists the targets.

VERSION     := 0.1.0
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR      ?= $(PREFIX)/share/doc/iommu-inspect
DESTDIR     ?=

CC          ?= cc
PKG_CONFIG  ?= pkg-config
BUILD       ?= build
INSTALL     ?= install

# ncursesw is for the live view; plain ncurses is accepted where ncursesw has no .pc file
PKGS        := libpci libudev json-c libsystemd
CURSES      := $(shell $(PKG_CONFIG) --exists ncursesw && echo ncursesw || echo ncurses)
PKG_CFLAGS  := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(CURSES))
PKG_LIBS    := $(shell $(PKG_CONFIG) --libs $(PKGS) $(CURSES))

WARNINGS    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
               -Wmissing-declarations -Wold-style-definition -Wpointer-arith \
               -Wformat=2 -Werror=format-security -Wundef -Wvla
CFLAGS      ?= -O2 -g
# gcc (x86) expands a memcpy or memset of tens to hundreds of bytes, such as a fault or a log
# position, into "rep movs"/"rep stos", slow to start at those lengths on AMD cores; glibc's
# own, chosen for the CPU when the program starts, are faster: on the faults benchmark, 3 to 6
# ms of the 60 of its decoding thread. Other compilers and targets: nothing to change.
STRINGOP    := $(shell $(CC) -mstringop-strategy=libcall -Werror -x c -c -o /dev/null /dev/null \
                 2>/dev/null && echo -mstringop-strategy=libcall)
# Link-time optimisation where the compiler and linker can do it: the loop of `faults` over a
# log calls from file to file for each line (reader, text prefix, fault parser, assembler,
# summary), and only at link time can those calls be inlined: 6% less CPU time on the faults
# benchmark. LTO= (empty) turns it off; the ASan build and the fuzz targets go without it.
LTO         ?= $(shell echo 'int main(void) { return 0; }' | \
                 $(CC) -flto=auto -Werror -x c -o /dev/null - 2>/dev/null && echo -flto=auto)
# The layers, lowest first: a file may include headers of its own layer and those below
# (tests/rules/t-layers.sh checks it). Headers are found by name in every layer's folder.
LAYERS      := core parse source model render cmd
ALL_CFLAGS  := -std=c11 -pthread -D_FORTIFY_SOURCE=2 -DII_VERSION='"$(VERSION)"' \
               $(LAYERS:%=-Iinclude/%) \
               $(WARNINGS) $(STRINGOP) $(LTO) $(PKG_CFLAGS) $(CFLAGS)
LDLIBS      += $(PKG_LIBS)

SRCS        := $(sort $(wildcard $(LAYERS:%=src/%/*.c) src/parse/debugfs/*.c))
LIB_SRCS    := $(filter-out src/cmd/main.c,$(SRCS))
OBJS        := $(SRCS:src/%.c=$(BUILD)/%.o)
LIB_OBJS    := $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
UNIT_SRCS   := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN    := $(BUILD)/unit-tests
BIN         := $(BUILD)/iommu-inspect
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz-*.c))
MANPAGES    := $(sort $(wildcard man/*.8))
# fish's completion is generated from the built program's command table (completions/gen-fish.sh)
FISHCOMP    := $(BUILD)/completions/iommu-inspect.fish
# systemd units: templates in which install writes BINDIR
UNITS       := $(patsubst systemd/%.in,%,$(sort $(wildcard systemd/*.in)))

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Debian packages: to build, and to run every test (`make test-deps` installs both).
BUILD_DEPS  := make gcc pkg-config libpci-dev libudev-dev libjson-c-dev libncurses-dev libsystemd-dev \
               pci.ids
TEST_DEPS   := python3 pciutils clang libclang-rt-14-dev tar gzip xz-utils man-db groff-base \
               bash bash-completion zsh fish util-linux acpica-tools systemd systemd-journal-remote
# promtool (tests/metrics/: every fixture's `metrics` checked by it), without the server's
# recommends
TEST_DEPS_NO_RECOMMENDS := prometheus
# What `make check-deb` needs: building the Debian package and lintian.
DEB_DEPS    := dpkg-dev debhelper fakeroot lintian build-essential man-db
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DELETE_ON_ERROR:
.PHONY: all check check-fast bench fuzz install uninstall clean help asan deps test-deps regen-expected
.PHONY: check-deb deb-deps
.PHONY: check-vm vm-deps vm-deps-arm64 fuzz-long

# The QEMU integration tests (tests/vm/): Debian's kernel with an emulated IOMMU.
VM_DEPS     := qemu-system-x86 busybox-static cpio kmod python3 gcc libc6-dev
# The arm64 scenarios: QEMU's Arm machines and UEFI firmware, the cross compiler, and the
# arm64 -dev packages the tool links with (the guest's busybox, tar and kernel are fetched)
VM_DEPS_ARM64 := qemu-system-arm qemu-efi-aarch64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
               binutils-aarch64-linux-gnu pkg-config libpci-dev:arm64 libudev-dev:arm64 \
               libjson-c-dev:arm64 libncurses-dev:arm64 libsystemd-dev:arm64 libc6:arm64

all: $(BIN) $(FISHCOMP)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BIN): $(OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(BUILD)/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -MMD -MP -c -o $@ $<

$(UNIT_BIN): $(LIB_OBJS) $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.o)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The same program and unit tests built with AddressSanitizer and UndefinedBehaviorSanitizer.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="$(SAN_FLAGS)" LTO= $(BUILD)/asan/iommu-inspect $(BUILD)/asan/unit-tests

# Tests: unit tests, golden outputs on every fixture, bad input, docs in sync, all twice:
# plain and under ASan+UBSan. The last line is "N passed, N failed, N skipped".
check: all $(UNIT_BIN) asan
	$(Q)tests/run.sh --bin $(BIN) --unit $(UNIT_BIN) \
		--asan-bin $(BUILD)/asan/iommu-inspect --asan-unit $(BUILD)/asan/unit-tests \
		$(if $(FUZZ),--fuzz)

# The Debian package (tests/deb/): dpkg-buildpackage -b, lintian, and as root dpkg -i, the
# installed program and man page, dpkg -r. Separate from check: it builds everything again.
check-deb: all
	$(Q)tests/run.sh --bin $(BIN) --suites tests/deb/check-deb.sh --only-subsuites

# Only the plain build (quicker while editing).
check-fast: all $(UNIT_BIN)
	$(Q)tests/run.sh --bin $(BIN) --unit $(UNIT_BIN)

# Integration tests on a real kernel: the live program inside QEMU guests with an emulated
# Intel VT-d and AMD-Vi (tests/vm/README.md). "N passed, N failed, N skipped" last; exit 77 when this
# machine cannot run them (make vm-deps installs what they need; the kernel is fetched).
check-vm: all
	$(Q)tests/vm/run.sh --bin $(BIN) $(VM)

# Regenerate the golden files from the current binary (review the diff before committing).
regen-expected: all
	$(Q)tests/run.sh --bin $(BIN) --regen $(if $(ONLY),--only '$(ONLY)')

# Every tests/bench/bench*.sh, each given the binary; figures go into README.md.
bench: all
	$(Q)set -e; for b in tests/bench/bench*.sh; do $$b $(BIN); done

# libFuzzer targets, one per parser (needs clang). The library's sources are compiled once,
# instrumented for libFuzzer, ASan and UBSan, into one archive every target links (the linker
# takes only the objects a target needs); each target is then one compile and one link.
FUZZ_CC     ?= clang
FUZZ_FLAGS  := -std=c11 -pthread -g -O1 $(LAYERS:%=-Iinclude/%) $(PKG_CFLAGS)
FUZZ_SAN    := address,undefined
FUZZ_OBJS   := $(LIB_SRCS:src/%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_LIB    := $(BUILD)/fuzz/libii-fuzz.a
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
fuzz: $(FUZZ_BINS)
$(BUILD)/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -MMD -MP -c -o $@ $<
$(FUZZ_LIB): $(FUZZ_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

# Every fuzz target for FUZZ_LONG_RUNS executions (10 million by default), one after another;
# figures in README.md. Long: hours on two cores. FUZZ_TARGETS="fault kmsg" runs only those.
FUZZ_LONG_RUNS ?= 10000000
fuzz-long: fuzz
	$(Q)FUZZ_TARGETS="$(FUZZ_TARGETS)" tests/fuzz/run-fuzz.sh --runs $(FUZZ_LONG_RUNS) $(BUILD) 0

deps:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BUILD_DEPS)

test-deps:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BUILD_DEPS) $(TEST_DEPS)
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$(TEST_DEPS_NO_RECOMMENDS)

deb-deps:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$(BUILD_DEPS) $(DEB_DEPS)

vm-deps:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(VM_DEPS)

vm-deps-arm64:
	$(SUDO) dpkg --add-architecture arm64
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(VM_DEPS_ARM64)

$(FISHCOMP): $(BIN) completions/gen-fish.sh
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)completions/gen-fish.sh $(BIN) >$@

# Installed files: DIR|MODE|SOURCE|NAME ("-" as SOURCE: the unit template systemd/NAME.in).
INSTALLED   := $(BINDIR)|0755|$(BIN)|iommu-inspect \
               $(foreach m,$(MANPAGES),$(MANDIR)/man8|0644|$(m)|$(notdir $(m))) \
               $(BASHCOMPDIR)|0644|completions/iommu-inspect.bash|iommu-inspect \
               $(ZSHCOMPDIR)|0644|completions/_iommu-inspect|_iommu-inspect \
               $(FISHCOMPDIR)|0644|$(FISHCOMP)|iommu-inspect.fish \
               $(foreach u,$(UNITS),$(SYSTEMDUNITDIR)|0644|-|$(u)) \
               $(DOCDIR)|0644|README.md|README.md
# install notes in this file the directories it had to create, so that uninstall removes those
# (when empty) and no other: a DESTDIR tree is left as it was found.
INSTALL_DIRS_LOG := $(BUILD)/installed-dirs

install: all
	$(Q)set -e; log=$(INSTALL_DIRS_LOG); head="# DESTDIR=$(DESTDIR)"; \
	[ -f $$log ] && [ "$$(head -n 1 $$log)" = "$$head" ] || echo "$$head" >$$log; \
	for f in $(INSTALLED:%='%'); do \
		dir=$(DESTDIR)$${f%%|*}; new=; \
		while [ ! -d "$$dir" ]; do new="$$dir $$new"; dir=$$(dirname "$$dir"); done; \
		for d in $$new; do $(INSTALL) -d -m 0755 "$$d" && echo "$$d" >>$$log; done; \
	done; \
	for f in $(INSTALLED:%='%'); do \
		dir=$${f%%|*} f=$${f#*|}; mode=$${f%%|*} f=$${f#*|}; src=$${f%%|*} name=$${f#*|}; \
		if [ "$$src" = - ]; then \
			echo "sed s|@BINDIR@|$(BINDIR)| systemd/$$name.in >$(DESTDIR)$$dir/$$name"; \
			sed 's|@BINDIR@|$(BINDIR)|g' systemd/$$name.in >$(DESTDIR)$$dir/$$name; \
			chmod $$mode $(DESTDIR)$$dir/$$name; \
		else \
			echo "$(INSTALL) -m $$mode $$src $(DESTDIR)$$dir/$$name"; \
			$(INSTALL) -m $$mode $$src $(DESTDIR)$$dir/$$name; \
		fi; \
	done

uninstall:
	$(Q)set -e; for f in $(INSTALLED:%='%'); do \
		dir=$${f%%|*}; echo "rm -f $(DESTDIR)$$dir/$${f##*|}"; rm -f "$(DESTDIR)$$dir/$${f##*|}"; \
	done; \
	log=$(INSTALL_DIRS_LOG); \
	if [ -f $$log ] && [ "$$(head -n 1 $$log)" = "# DESTDIR=$(DESTDIR)" ]; then \
		sed 1d $$log | sort -ru | while read -r d; do \
			rmdir "$$d" 2>/dev/null && echo "rmdir $$d" || :; \
		done; \
		rm -f $$log; \
	fi

clean:
	rm -rf $(BUILD)

help:
	@echo "Targets:"
	@echo "  all            build $(BIN) (default)"
	@echo "  check          all tests, plain and under ASan+UBSan (FUZZ=1 adds fuzzing)"
	@echo "  check-fast     all tests with the plain build only"
	@echo "  check-vm       integration tests in QEMU guests (VM=\"intel amd\" picks scenarios)"
	@echo "  regen-expected rewrite the golden outputs from the current build (ONLY=REGEX)"
	@echo "  bench          benchmarks on a generated large tree (figures in README.md)"
	@echo "  fuzz           build the libFuzzer targets with clang"
	@echo "  fuzz-long      run every fuzz target (or FUZZ_TARGETS) FUZZ_LONG_RUNS times (10 million)"
	@echo "  check-deb      build the Debian package, lintian, and as root install and remove it"
	@echo "  install        install binary, man pages, completions, systemd unit, README (PREFIX, DESTDIR)"
	@echo "  uninstall      remove what install installed"
	@echo "  clean          remove $(BUILD)/"
	@echo "  deps           apt-get install the build dependencies"
	@echo "  test-deps      apt-get install the build and test dependencies"
	@echo "  deb-deps       apt-get install what check-deb needs (debhelper, lintian)"
	@echo "  vm-deps        apt-get install what check-vm needs (QEMU, busybox-static)"
	@echo "  vm-deps-arm64  the same for its arm64 scenarios (qemu-system-arm, cross compiler, :arm64 -dev)"
	@echo "Variables: CC PREFIX DESTDIR BINDIR MANDIR BASHCOMPDIR ZSHCOMPDIR FISHCOMPDIR LTO"
	@echo "           SYSTEMDUNITDIR DOCDIR V=1"

-include $(OBJS:.o=.d) $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%.d) $(FUZZ_OBJS:.o=.d)
