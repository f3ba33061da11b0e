/*
 * GuestSupport.h: what guest Swift code cannot say by itself, as tiny inline
 * C functions: CPUID, WRMSR, the hypercall instructions, the IDT load, a few
 * deliberate faults for the hostile guest, and the addresses of things the
 * assembly files and GuestRuntime.c define. Everything else is Swift.
 *
 * Swift does not import `extern uint8_t symbol[]`, so each such symbol gets
 * an inline accessor that returns its address.
 */
#ifndef GUEST_SUPPORT_H
#define GUEST_SUPPORT_H

#include <stdint.h>
#include <stddef.h>

/* ---- CPUID and MSRs ------------------------------------------------------ */

typedef struct {
    uint32_t eax, ebx, ecx, edx;
} CPUIDResult;

static inline CPUIDResult cpuid(uint32_t leaf, uint32_t subleaf) {
    CPUIDResult r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(subleaf));
    return r;
}

static inline void msr_write(uint32_t msr, uint64_t value) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value),
                     "d"((uint32_t)(value >> 32)) : "memory");
}

static inline uint64_t msr_read(uint32_t msr) {
    uint32_t low, high;
    __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return ((uint64_t)high << 32) | low;
}

/* RDTSCP: the TSC, and TSC_AUX in ECX (here: only ECX is returned). */
static inline uint32_t read_tsc_aux_with_rdtscp(void) {
    uint32_t low, high, aux;
    __asm__ volatile("rdtscp" : "=a"(low), "=d"(high), "=c"(aux));
    return aux;
}

static inline uint64_t read_cr2(void) {
    uint64_t value;
    __asm__ volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}

static inline uint64_t read_cr4(void) {
    uint64_t value;
    __asm__ volatile("mov %%cr4, %0" : "=r"(value));
    return value;
}

static inline uint64_t read_tsc(void) {
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

/* ---- Hypercalls -----------------------------------------------------------
 * Number in RAX, arguments in RDI, RSI, RDX, R10, R8, result in RAX.
 * The hypervisor may change the argument registers (Xen's contract allows
 * it), so they are in/out operands here; every other register is preserved.
 * "memory": the hypervisor reads and writes guest buffers.
 */

/* Calls the stub at `stub` (hypercall page + number * 32), which loads the
   number into EAX itself and executes VMCALL or VMMCALL. The stub needs no
   stack beyond the return address, and there is no red zone to overwrite. */
static inline int64_t hypercall_through_page(uint64_t stub, uint64_t a1, uint64_t a2,
                                             uint64_t a3, uint64_t a4, uint64_t a5) {
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    int64_t result;
    __asm__ volatile("call *%[stub]"
                     : "=a"(result), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : [stub] "r"(stub)
                     : "memory", "cc");
    return result;
}

/* The instruction itself, for numbers the page has no stub for. Intel's
   VMCALL and AMD's VMMCALL differ only in the last opcode byte. */
static inline int64_t hypercall_vmcall(uint64_t number, uint64_t a1, uint64_t a2,
                                       uint64_t a3, uint64_t a4, uint64_t a5) {
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    __asm__ volatile("vmcall"
                     : "+a"(number), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : : "memory", "cc");
    return (int64_t)number;
}

static inline int64_t hypercall_vmmcall(uint64_t number, uint64_t a1, uint64_t a2,
                                        uint64_t a3, uint64_t a4, uint64_t a5) {
    register uint64_t r10 __asm__("r10") = a4;
    register uint64_t r8 __asm__("r8") = a5;
    __asm__ volatile("vmmcall"
                     : "+a"(number), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                     : : "memory", "cc");
    return (int64_t)number;
}

/* The 4 KiB page the hypervisor fills with stubs (HypercallPageSetup.S). */
extern uint8_t hypercall_page[];
static inline uint64_t hypercall_page_address(void) { return (uint64_t)(uintptr_t)hypercall_page; }

/* ---- Interrupts, halting, deliberate faults ------------------------------ */

static inline void idt_load(uint64_t base, uint16_t limit) {
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer = { limit, base };
    __asm__ volatile("lidt %0" : : "m"(pointer) : "memory");
}

/* Interrupts on, and off. The only interrupt a guest is ever given is its
   event-channel upcall, and only once it chose a vector for it
   (Upcall.swift); before that, with IF set, a physical interrupt still
   only causes a VM exit. */
static inline void cpu_enable_interrupts(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cpu_disable_interrupts(void) { __asm__ volatile("cli" ::: "memory"); }

/* Waits for an interrupt, then turns interrupts off again. STI takes effect
   only after the next instruction (its interrupt shadow), so an interrupt
   that is already due cannot come between STI and HLT and leave the HLT
   waiting for another one: it ends the HLT, its handler runs, and CLI
   follows. The hypervisor treats this HLT as SCHEDOP_block. */
static inline void cpu_wait_for_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }

/* Interrupts on for one instruction: an interrupt that is due is taken
   after the NOP (the STI shadow covers the NOP), then CLI. */
static inline void cpu_take_pending_interrupts(void) { __asm__ volatile("sti; nop; cli" ::: "memory"); }

/* Interrupts off, then HLT: nothing can wake the CPU again. The hypervisor
   takes the vCPU down, and a domain whose vCPUs are all down powers off. */
static inline void cpu_stop(void) { __asm__ volatile("cli; hlt" ::: "memory"); }

static inline void cpu_breakpoint(void) { __asm__ volatile("int3" ::: "memory"); }

/* A store the compiler may neither drop nor move: the hostile guest uses it
   to touch memory the hypervisor has not backed. */
static inline void volatile_write_u64(uint64_t address, uint64_t value) {
    *(volatile uint64_t *)(uintptr_t)address = value;
}

/* Loads and a store that are each one known instruction (the hypervisor
   decodes the instruction to emulate an access to memory with nothing
   behind it, so the compiler must not choose another): MOV r32, MOV r64,
   MOVZX r64 from a byte, and MOV of an immediate to memory. */
static inline uint32_t load_u32(uint64_t address) {
    uint32_t value;
    __asm__ volatile("movl (%1), %0" : "=r"(value) : "r"(address) : "memory");
    return value;
}

static inline uint64_t load_u64(uint64_t address) {
    uint64_t value;
    __asm__ volatile("movq (%1), %0" : "=r"(value) : "r"(address) : "memory");
    return value;
}

static inline uint64_t load_u8_zero_extended(uint64_t address) {
    uint64_t value;
    __asm__ volatile("movzbq (%1), %0" : "=r"(value) : "r"(address) : "memory");
    return value;
}

static inline void store_u32_immediate(uint64_t address) {
    __asm__ volatile("movl $0x5A5A5A5A, (%0)" : : "r"(address) : "memory");
}

/* Jumps to `address` and never comes back: an instruction fetch there. */
__attribute__((noreturn)) static inline void jump_to(uint64_t address) {
    __asm__ volatile("jmp *%0" : : "r"(address) : "memory");
    __builtin_unreachable();
}

/* Burns CPU time without leaving the guest: a loop of volatile adds that
   the compiler can neither drop nor shorten. Test guests use it to stay
   busy long enough for the scheduler's preemption to show. */
static inline void busy_loop(uint64_t iterations) {
    volatile uint64_t counter = 0;
    for (uint64_t i = 0; i < iterations; i++) counter += 1;
}

/* Port I/O. A domain's IN/OUT exit to the hypervisor unless its I/O
   bitmap gives it the port (dom0's disk controller): then they reach the
   device directly. The string forms move `count` 16-bit words between
   the port and memory (REP INSW / REP OUTSW), the ATA data port's way. */
static inline uint8_t port_read8(uint16_t port) {
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}
static inline void port_write8(uint16_t port, uint8_t value) {
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}
static inline void port_read16_string(uint16_t port, void *buffer, uint64_t count) {
    __asm__ volatile("cld; rep insw" : "+D"(buffer), "+c"(count) : "d"(port) : "memory");
}
static inline void port_write16_string(uint16_t port, const void *buffer, uint64_t count) {
    __asm__ volatile("cld; rep outsw" : "+S"(buffer), "+c"(count) : "d"(port) : "memory");
}

/* The 32 exception entry points (GuestExceptionEntry.S). */
extern const uint64_t exception_entry_table[32];
static inline uint64_t exception_entry_address(int vector) { return exception_entry_table[vector]; }

/* The upcall's interrupt entry point (UpcallEntry.S). */
extern const uint8_t upcall_entry[];
static inline uint64_t upcall_entry_address(void) { return (uint64_t)(uintptr_t)upcall_entry; }

/* ---- Atomic operations on the event bits in shared_info -------------------
 * The hypervisor sets bits in the same words that the guest clears. With one
 * CPU it never runs while the guest does, but with SMP it may, on another
 * CPU, between the guest's load and its store: so every read-modify-write of
 * those words is one locked instruction. XCHG with a memory operand is
 * always locked; AND and OR take a LOCK prefix. Each is also a full memory
 * barrier. */

/* Stores `value`, returns what was there. */
static inline uint64_t atomic_exchange_u64(volatile uint64_t *address, uint64_t value) {
    __asm__ volatile("xchgq %0, %1" : "+r"(value), "+m"(*address) : : "memory");
    return value;
}

/* Clears `bits`, leaving every other bit as it is now. */
static inline void atomic_clear_bits_u64(volatile uint64_t *address, uint64_t bits) {
    __asm__ volatile("lock andq %1, %0" : "+m"(*address) : "r"(~bits) : "memory", "cc");
}

/* Sets `bits`, leaving every other bit as it is now. */
static inline void atomic_set_bits_u64(volatile uint64_t *address, uint64_t bits) {
    __asm__ volatile("lock orq %1, %0" : "+m"(*address) : "r"(bits) : "memory", "cc");
}

/* A load the compiler must do each time: for counters an interrupt handler
   changes behind the back of the code that waits for them. */
static inline uint64_t volatile_read_u64(const volatile uint64_t *address) { return *address; }

/* ---- Console line buffer (GuestRuntime.c) -------------------------------- */

/* putchar collects a line here and sends it with one console_io write. */
#define CONSOLE_LINE_SIZE 256
extern uint8_t console_line_buffer[CONSOLE_LINE_SIZE];
static inline uint8_t *console_line_address(void) { return console_line_buffer; }
static inline int console_line_size(void) { return CONSOLE_LINE_SIZE; }

/* ---- The image's extent (Linker/guest.ld) ------------------------------- */

extern uint8_t __image_start[], __image_end[];
static inline uint64_t guest_image_start(void) { return (uint64_t)(uintptr_t)__image_start; }
static inline uint64_t guest_image_end(void) { return (uint64_t)(uintptr_t)__image_end; }

/* ---- The hostile guest's register checks (Guests/Hostile/, assembly) ------------- */

/* RegisterState.S: XMM0-15 and CR2 across one hypercall, and across time
   slices (see the file for the contract). */
void registers_across_hypercall(const void *xmm_in, void *xmm_out, uint64_t cr2,
                                uint64_t stub, uint64_t a1, uint64_t a2);
uint64_t registers_held(const void *xmm_in, void *xmm_out, uint64_t cr2,
                        const volatile uint32_t *time_version, uint64_t slices,
                        uint64_t max_iterations);

/* UserMode.S: ring 0 -> ring 3 -> SYSCALL/SYSRET -> ring 0; five results. */
void user_mode_round_trip(uint64_t *results, uint64_t hypercall_stub);

/* GeneralProtectionProbe.S: CR4 = value, WRMSR, RDMSR; each returns 1 if
   the instruction raised #GP (its error code in *error_code, nothing
   changed), 0 if it completed. */
uint64_t write_cr4_catching_gp(uint64_t value, uint64_t *error_code);
uint64_t msr_write_catching_gp(uint32_t msr, uint64_t value, uint64_t *error_code);
uint64_t msr_read_catching_gp(uint32_t msr, uint64_t *value, uint64_t *error_code);

/* ---- The bench guest's ring 3 (Guests/Bench/UserModeEntry.S) ----------------
 * lgdt + ltr of a GDT that has a TSS; a CR3 reload; one ring-3 loop of
 * `iterations` operations (0 none, 1 SYSCALL, 2 int 0x80, 3 a page fault
 * in the window `window_page_table` maps), back in ring 0 when it is done;
 * and the addresses the Swift side puts in the GDT, TSS, IDT, MSRs and page
 * tables. */
void user_mode_load_descriptor_tables(uint64_t gdt_base, uint16_t gdt_limit, uint16_t tss_selector);
void user_mode_flush_tlb(void);
void user_mode_run(uint64_t operation, uint64_t iterations, uint64_t window_page_table);
extern uint8_t user_mode_loops[], user_mode_stack_top[], user_mode_interrupt_stack_top[];
extern uint8_t user_mode_syscall_entry[], user_mode_int80_entry[], user_mode_page_fault_entry[];
static inline uint64_t user_mode_loops_address(void) { return (uint64_t)(uintptr_t)user_mode_loops; }
static inline uint64_t user_mode_stack_top_address(void) { return (uint64_t)(uintptr_t)user_mode_stack_top; }
static inline uint64_t user_mode_interrupt_stack_top_address(void) { return (uint64_t)(uintptr_t)user_mode_interrupt_stack_top; }
static inline uint64_t user_mode_syscall_entry_address(void) { return (uint64_t)(uintptr_t)user_mode_syscall_entry; }
static inline uint64_t user_mode_int80_entry_address(void) { return (uint64_t)(uintptr_t)user_mode_int80_entry; }
static inline uint64_t user_mode_page_fault_entry_address(void) { return (uint64_t)(uintptr_t)user_mode_page_fault_entry; }

/* Entry.S's boot page tables (the identity map of the first 1 GiB). */
extern uint8_t boot_pml4[], boot_pdpt[], boot_page_directory[];
static inline uint64_t boot_pml4_address(void) { return (uint64_t)(uintptr_t)boot_pml4; }
static inline uint64_t boot_pdpt_address(void) { return (uint64_t)(uintptr_t)boot_pdpt; }
static inline uint64_t boot_page_directory_address(void) { return (uint64_t)(uintptr_t)boot_page_directory; }

/* A 32-bit IN: the bench guest's I/O-port exit. */
static inline uint32_t port_read32(uint16_t port) {
    uint32_t value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port) : "memory");
    return value;
}

/* ---- Heap arena (GuestRuntime.c) ----------------------------------------
 * The memory behind every Swift allocation of a guest; GuestHeap.swift
 * manages it with the hypervisor's HeapAllocator. */
void *guest_heap_arena_address(void);
size_t guest_heap_arena_size(void);

/* ---- Barrier for shared rings ---------------------------------------------
 * A full memory fence that is also a compiler barrier: between the index
 * and the data of a ring another domain writes (XenStore's, in dom0). */
static inline void shared_memory_barrier(void) { __asm__ volatile("mfence" : : : "memory"); }

#endif
