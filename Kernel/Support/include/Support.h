/*
 * Support.h: the few things Swift cannot say by itself, as tiny inline C
 * functions: port I/O, MSRs, control registers, descriptor-table loads,
 * CPUID, the VMX/SVM instructions, and the addresses the linker script
 * defines. Everything else lives in Swift.
 */
#ifndef SUPPORT_H
#define SUPPORT_H

#include <stdint.h>
#include <stdbool.h>

/* ---- Port I/O ---------------------------------------------------------- */

static inline void port_write_u8(uint16_t port, uint8_t value) {
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
static inline uint8_t port_read_u8(uint16_t port) {
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
static inline void port_write_u16(uint16_t port, uint16_t value) {
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
static inline void port_write_u32(uint16_t port, uint32_t value) {
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

/* ---- CPUID and MSRs ---------------------------------------------------- */

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

static inline uint64_t msr_read(uint32_t msr) {
    uint32_t low, high;
    __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return ((uint64_t)high << 32) | low;
}
static inline void msr_write(uint32_t msr, uint64_t value) {
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value),
                     "d"((uint32_t)(value >> 32)));
}

/* The TSC at the hypervisor's first instructions (Boot.S). */
extern uint64_t boot_entry_tsc;

/* always_inline: the VMX backend reads it before every entry (VMXInstructions.h). */
static inline __attribute__((always_inline)) uint64_t read_tsc(void) {
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

/* ---- Control registers -------------------------------------------------- */

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline void write_cr2(uint64_t v) { __asm__ volatile("mov %0, %%cr2" : : "r"(v) : "memory"); }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline uint64_t read_rsp(void) { uint64_t v; __asm__ volatile("mov %%rsp, %0" : "=r"(v)); return v; }

/* ---- Interrupts and halting ------------------------------------------- */

static inline void interrupts_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_halt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline void cpu_pause(void) { __asm__ volatile("pause"); }

/* ---- Descriptor tables -------------------------------------------------- */

/* Load the GDT, reload every segment register with the given selectors
   (CS through a far return), and load the task register. */
static inline void load_gdt(uint64_t base, uint16_t limit,
                            uint16_t code_selector, uint16_t data_selector,
                            uint16_t tss_selector) {
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer = { limit, base };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %q1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %w2, %%ds\n\t"
        "mov %w2, %%es\n\t"
        "mov %w2, %%ss\n\t"
        "ltr %w3\n\t"
        : : "m"(pointer), "r"((uint64_t)code_selector), "r"(data_selector), "r"(tss_selector)
        : "rax", "memory");
}

static inline void load_idt(uint64_t base, uint16_t limit) {
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer = { limit, base };
    __asm__ volatile("lidt %0" : : "m"(pointer) : "memory");
}

/* ---- Deliberate faults (the test_fault= boot option) -------------------- */

static inline void fault_invalid_opcode(void) { __asm__ volatile("ud2"); }
static inline void fault_breakpoint(void) { __asm__ volatile("int3"); }
static inline uint64_t fault_read(uint64_t address) {
    uint64_t v;
    __asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(address) : "memory");
    return v;
}
static inline uint32_t fault_divide(uint32_t divisor) {
    uint32_t quotient, remainder;
    __asm__ volatile("divl %4" : "=a"(quotient), "=d"(remainder) : "a"(1), "d"(0), "r"(divisor));
    return quotient;
}

/* ---- VMX (Intel SDM Vol. 3C, chapter 24/31) ----------------------------- */

/* VMXON: returns true on success (CF = 0 and ZF = 0). */
static inline bool vmx_on(uint64_t region_physical_address) {
    uint8_t failed;
    __asm__ volatile("vmxon %1\n\tsetbe %0"
                     : "=q"(failed) : "m"(region_physical_address) : "cc", "memory");
    return !failed;
}
static inline void vmx_off(void) { __asm__ volatile("vmxoff" ::: "cc", "memory"); }

/* ---- SVM (AMD APM Vol. 2, chapter 15) ---------------------------------- */

/* SVMEntry.S: VMRUN once; `registers` is the vCPU's GuestRegisters block,
   `fxsave_area` its x87/SSE state (512 bytes, 16-byte aligned). */
uint64_t svm_run(uint64_t vmcb, void *registers, uint64_t host_state, void *fxsave_area);
void svm_save_host_state(uint64_t host_state);

/* ---- Exceptions ---------------------------------------------------------- */

/* The frame ExceptionEntry.S builds on the stack, lowest address first. */
typedef struct {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
} ExceptionFrame;

/* ---- Linker-script symbols ---------------------------------------------- */

extern uint8_t __image_start[], __image_end[], __text_start[], __text_end[];
extern uint8_t __bss_start[], __bss_end[];
extern uint8_t boot_stack[], boot_stack_top[];
extern uint64_t exception_entry_table[32];

static inline uint64_t image_start_address(void) { return (uint64_t)__image_start; }
static inline uint64_t image_end_address(void) { return (uint64_t)__image_end; }
static inline uint64_t text_start_address(void) { return (uint64_t)__text_start; }
static inline uint64_t text_end_address(void) { return (uint64_t)__text_end; }
static inline uint64_t boot_stack_bottom_address(void) { return (uint64_t)boot_stack; }
static inline uint64_t boot_stack_top_address(void) { return (uint64_t)boot_stack_top; }
static inline uint64_t exception_entry_address(int vector) { return exception_entry_table[vector]; }

/* The heap arena: a fixed region in .bss, so the heap works before anything
   else (Swift allocates for classes, arrays and strings). */
#define HEAP_ARENA_SIZE (16u * 1024u * 1024u)
extern uint8_t heap_arena[];
static inline void *heap_arena_address(void) { return heap_arena; }
static inline uint64_t heap_arena_size(void) { return HEAP_ARENA_SIZE; }

#endif
