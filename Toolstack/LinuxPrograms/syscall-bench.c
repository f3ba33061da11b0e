/*
 * syscall-bench.c: Linux dom0's user space against its hypervisor, in the
 * bench row format of the guests (Guests/GuestKit/TimingRow.swift):
 *
 *   syscall-bench [iterations=N] [batches=M]     (defaults 1000 and 7)
 *
 *   bench: config iterations=N batches=M unit=tsc
 *   bench: row linux-getpid v1 ... vM | ...
 *   bench: row linux-privcmd-xen-version v1 ... vM | ...
 *   bench: end
 *
 * linux-getpid is one system call that does almost nothing; the other is
 * the same trip into the kernel plus a hypercall: ioctl(IOCTL_PRIVCMD_HYPERCALL)
 * on /dev/xen/privcmd (the xen-privcmd module), which makes
 * xen_version(XENVER_version) for the caller. Each value is the TSC ticks
 * per operation of one batch minus an empty loop of the same length.
 *
 * No C library: a static, freestanding program with its own _start and
 * system calls (x86_64 Linux: number in RAX, arguments in RDI, RSI, RDX,
 * result in RAX, -errno on failure; SYSCALL clobbers RCX and R11). Built
 * by `xtool initramfs` (Toolstack/XToolKit/LinuxProgram.swift).
 */
#include <stdint.h>

#define SYS_write       1
#define SYS_open        2
#define SYS_ioctl       16
#define SYS_getpid      39
#define SYS_exit_group  231
#define O_RDWR          2

/* Linux's include/uapi/xen/privcmd.h: the hypercall op and five arguments;
   the ioctl is _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall)). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL 0x305000UL
#define HYPERVISOR_xen_version  17
#define XENVER_version          0

static long syscall3(long number, long a1, long a2, long a3) {
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return result;
}

static inline uint64_t read_tsc(void) {
    uint32_t low, high;
    __asm__ volatile("lfence; rdtsc" : "=a"(low), "=d"(high) :: "memory");
    return ((uint64_t)high << 32) | low;
}

/* ---- output, a line at a time ---- */

static char line[512];
static int used;

static void put(const char *text) {
    while (*text && used < (int)sizeof line - 1) line[used++] = *text++;
}

static void put_number(int64_t value) {
    char digits[24];
    int count = 0;
    uint64_t magnitude = value < 0 ? (uint64_t)(-value) : (uint64_t)value;
    if (value < 0) put("-");
    do { digits[count++] = (char)('0' + magnitude % 10); magnitude /= 10; } while (magnitude);
    while (count) { char one[2] = { digits[--count], 0 }; put(one); }
}

static void end_line(void) {
    line[used++] = '\n';
    syscall3(SYS_write, 1, (long)line, used);
    used = 0;
}

/* ---- arguments ---- */

static int starts_with(const char *text, const char *prefix) {
    while (*prefix) if (*text++ != *prefix++) return 0;
    return 1;
}

static uint64_t number_after(const char *text) {
    uint64_t value = 0;
    for (; *text >= '0' && *text <= '9'; text++) value = value * 10 + (uint64_t)(*text - '0');
    return value;
}

/* ---- the rows ---- */

static uint64_t iterations = 1000, batches = 7;
static long privcmd = -1;
static struct privcmd_hypercall version_call = { HYPERVISOR_xen_version, { XENVER_version } };

enum operation { EMPTY, GETPID, PRIVCMD };

/* Ticks of one batch of `operation`. The empty asm keeps the empty loop a loop. */
static uint64_t batch(enum operation operation) {
    uint64_t start = read_tsc();
    for (uint64_t i = 0; i < iterations; i++) {
        if (operation == GETPID) syscall3(SYS_getpid, 0, 0, 0);
        else if (operation == PRIVCMD) syscall3(SYS_ioctl, privcmd, IOCTL_PRIVCMD_HYPERCALL, (long)&version_call);
        __asm__ volatile("" ::: "memory");
    }
    return read_tsc() - start;
}

static void row(const char *key, enum operation operation, const char *label) {
    batch(EMPTY);                       /* warm up, as the guests do */
    batch(operation);
    put("bench: row ");
    put(key);
    for (uint64_t i = 0; i < batches; i++) {
        uint64_t base = batch(EMPTY);
        uint64_t total = batch(operation);
        put(" ");
        put_number(total > base ? (int64_t)((total - base) / iterations) : 0);
    }
    put(" | ");
    put(label);
    end_line();
}

static void skip(const char *key, const char *reason, long result) {
    put("bench: skip ");
    put(key);
    put(" ");
    put(reason);
    put_number(result);
    end_line();
}

__attribute__((used)) static void bench_main(long argc, char **argv) {
    for (long i = 1; i < argc; i++) {
        if (starts_with(argv[i], "iterations=")) iterations = number_after(argv[i] + 11);
        if (starts_with(argv[i], "batches=")) batches = number_after(argv[i] + 8);
    }
    if (iterations == 0) iterations = 1000;
    if (batches == 0 || batches > 64) batches = 7;
    put("bench: config iterations="); put_number((int64_t)iterations);
    put(" batches="); put_number((int64_t)batches);
    put(" unit=tsc");
    end_line();

    row("linux-getpid", GETPID, "getpid() from Linux dom0's user space: a system call, no hypercall");

    privcmd = syscall3(SYS_open, (long)"/dev/xen/privcmd", O_RDWR, 0);
    if (privcmd < 0) {
        skip("linux-privcmd-xen-version", "cannot open /dev/xen/privcmd (is xen-privcmd loaded?): errno ", -privcmd);
    } else {
        long version = syscall3(SYS_ioctl, privcmd, IOCTL_PRIVCMD_HYPERCALL, (long)&version_call);
        if (version < 0) {
            skip("linux-privcmd-xen-version", "IOCTL_PRIVCMD_HYPERCALL xen_version failed: errno ", -version);
        } else {
            row("linux-privcmd-xen-version", PRIVCMD,
                "xen_version from dom0's user space: IOCTL_PRIVCMD_HYPERCALL, /dev/xen/privcmd");
        }
    }
    put("bench: end");
    end_line();
    syscall3(SYS_exit_group, 0, 0, 0);
}

/* The kernel starts a static program at _start with RSP at argc, then the
   argv pointers. The ABI wants RSP 16-byte aligned before a call. */
__asm__(
    ".globl _start\n"
    "_start:\n"
    "    movq (%rsp), %rdi\n"
    "    leaq 8(%rsp), %rsi\n"
    "    andq $-16, %rsp\n"
    "    call bench_main\n"
    "    hlt\n");
