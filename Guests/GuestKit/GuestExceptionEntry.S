/*
 * GuestExceptionEntry.S: the 32 CPU exception vectors of a guest.
 *
 * A guest exception is a guest bug, and it is never resumed: each stub only
 * makes the frame uniform (a zero where the CPU pushes no error code), adds
 * its vector number, and the common path hands the interesting words of the
 * frame to the Swift report (GuestExceptionReport.swift), which prints them
 * and shuts the domain down as crashed. No registers are saved for that
 * reason.
 *
 * The frame, lowest address first, when exception_common runs:
 *   vector, error code, RIP, CS, RFLAGS, RSP, SS (the last five from the CPU)
 */

    .section .text.exceptions, "ax"
    .code64

.macro EXCEPTION_ENTRY vector, cpu_pushes_error_code
exception_entry_\vector:
    .if \cpu_pushes_error_code == 0
    pushq $0
    .endif
    pushq $\vector
    jmp exception_common
.endm

/* Intel SDM Vol. 3A Table 6-1: vectors 8, 10-14, 17, 21, 29 and 30 push an
   error code. */
EXCEPTION_ENTRY 0, 0
EXCEPTION_ENTRY 1, 0
EXCEPTION_ENTRY 2, 0
EXCEPTION_ENTRY 3, 0
EXCEPTION_ENTRY 4, 0
EXCEPTION_ENTRY 5, 0
EXCEPTION_ENTRY 6, 0
EXCEPTION_ENTRY 7, 0
EXCEPTION_ENTRY 8, 1
EXCEPTION_ENTRY 9, 0
EXCEPTION_ENTRY 10, 1
EXCEPTION_ENTRY 11, 1
EXCEPTION_ENTRY 12, 1
EXCEPTION_ENTRY 13, 1
EXCEPTION_ENTRY 14, 1
EXCEPTION_ENTRY 15, 0
EXCEPTION_ENTRY 16, 0
EXCEPTION_ENTRY 17, 1
EXCEPTION_ENTRY 18, 0
EXCEPTION_ENTRY 19, 0
EXCEPTION_ENTRY 20, 0
EXCEPTION_ENTRY 21, 1
EXCEPTION_ENTRY 22, 0
EXCEPTION_ENTRY 23, 0
EXCEPTION_ENTRY 24, 0
EXCEPTION_ENTRY 25, 0
EXCEPTION_ENTRY 26, 0
EXCEPTION_ENTRY 27, 0
EXCEPTION_ENTRY 28, 0
EXCEPTION_ENTRY 29, 1
EXCEPTION_ENTRY 30, 1
EXCEPTION_ENTRY 31, 0

exception_common:
    movq 0(%rsp), %rdi                  /* vector */
    movq 8(%rsp), %rsi                  /* error code */
    movq 16(%rsp), %rdx                 /* RIP of the faulting instruction */
    movq 40(%rsp), %rcx                 /* RSP at the fault */
    andq $-16, %rsp                     /* the ABI wants a 16-byte aligned stack */
    cld
    call guest_exception                /* GuestExceptionReport.swift: shuts down */
1:  cli
    hlt
    jmp 1b

    /* The 32 entry points, for the IDT that InterruptTable.swift builds. */
    .section .rodata.exceptions, "a"
    .p2align 3
    .globl exception_entry_table
exception_entry_table:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exception_entry_\n
    .endr
