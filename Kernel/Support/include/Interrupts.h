/*
 * Interrupts.h: what the hypervisor's own interrupts need from C: opening
 * the interrupt window at chosen points (the hypervisor otherwise runs with
 * RFLAGS.IF = 0), volatile access to the local APIC's registers, and the
 * addresses of the interrupt stubs in InterruptEntry.S.
 */
#ifndef INTERRUPTS_H
#define INTERRUPTS_H

#include <stdint.h>

/* STI; HLT: the instruction after STI still runs with interrupts blocked,
   so an interrupt that is already pending wakes the HLT instead of slipping
   in between (Intel SDM Vol. 2B, STI). Interrupts are off again on return. */
static inline void interrupts_enable_and_halt(void) {
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* Lets one pending interrupt in: it is taken after the NOP. */
static inline void interrupts_window(void) {
    __asm__ volatile("sti; nop; cli" ::: "memory");
}

/* Device registers: every access must happen, in order, exactly once. */
static inline uint32_t mmio_read32(uint64_t address) {
    return *(volatile uint32_t *)(uintptr_t)address;
}
static inline void mmio_write32(uint64_t address, uint32_t value) {
    *(volatile uint32_t *)(uintptr_t)address = value;
}

static inline void invalidate_page(uint64_t address) {
    __asm__ volatile("invlpg (%0)" : : "r"(address) : "memory");
}

/* InterruptEntry.S */
extern uint8_t timer_interrupt_entry[], spurious_interrupt_entry[];
extern uint64_t local_apic_eoi_register;
extern uint64_t timer_interrupt_count;
static inline uint64_t timer_interrupt_entry_address(void) { return (uint64_t)timer_interrupt_entry; }
static inline uint64_t spurious_interrupt_entry_address(void) { return (uint64_t)spurious_interrupt_entry; }
static inline void set_local_apic_eoi_register(uint64_t address) { local_apic_eoi_register = address; }
static inline uint64_t timer_interrupts_taken(void) { return timer_interrupt_count; }

#endif
