/*
 * InterruptEntry.S: the hypervisor's two interrupt vectors.
 *
 * The hypervisor runs with interrupts off and lets them in only at chosen
 * points: the one-instruction window after an SVM #VMEXIT (SVMEntry.S) and
 * the idle halt (interrupts_enable_and_halt). The only interrupt source is
 * the local APIC timer, so the handler has one job: tell the APIC the
 * interrupt is done (a write to EOI), so that it can deliver the next one.
 * The scheduler does not need to know it ran: after every exit and every
 * halt it reads the clock.
 */

    .section .data
    .p2align 3
    .globl local_apic_eoi_register
local_apic_eoi_register:
    .quad 0xFEE000B0            /* LocalAPIC sets it from IA32_APIC_BASE */
    .globl timer_interrupt_count
timer_interrupt_count:
    .quad 0

    .section .text
    .code64

    .globl timer_interrupt_entry
timer_interrupt_entry:
    pushq %rax
    movq local_apic_eoi_register(%rip), %rax
    movl $0, (%rax)             /* EOI: any value will do */
    incq timer_interrupt_count(%rip)
    popq %rax
    iretq

    /* A spurious interrupt is not in service: no EOI (Intel SDM Vol. 3A,
       "Spurious Interrupt"). */
    .globl spurious_interrupt_entry
spurious_interrupt_entry:
    iretq
