/*
 * ExceptionEntry.S: the 32 CPU exception vectors.
 *
 * The CPU pushes SS, RSP, RFLAGS, CS, RIP and, for some vectors, an error
 * code. Each stub makes the frame uniform (a zero error code where the CPU
 * pushes none), pushes its vector number, and jumps to one common path that
 * saves the general registers and calls the Swift handler with a pointer to
 * the whole frame (struct ExceptionFrame in Support.h describes its layout).
 */

    .section .text
    .code64

.macro EXCEPTION_WITHOUT_ERROR_CODE vector
    .globl exception_entry_\vector
exception_entry_\vector:
    pushq $0
    pushq $\vector
    jmp exception_common
.endm

.macro EXCEPTION_WITH_ERROR_CODE vector
    .globl exception_entry_\vector
exception_entry_\vector:
    pushq $\vector
    jmp exception_common
.endm

EXCEPTION_WITHOUT_ERROR_CODE 0
EXCEPTION_WITHOUT_ERROR_CODE 1
EXCEPTION_WITHOUT_ERROR_CODE 2
EXCEPTION_WITHOUT_ERROR_CODE 3
EXCEPTION_WITHOUT_ERROR_CODE 4
EXCEPTION_WITHOUT_ERROR_CODE 5
EXCEPTION_WITHOUT_ERROR_CODE 6
EXCEPTION_WITHOUT_ERROR_CODE 7
EXCEPTION_WITH_ERROR_CODE    8
EXCEPTION_WITHOUT_ERROR_CODE 9
EXCEPTION_WITH_ERROR_CODE    10
EXCEPTION_WITH_ERROR_CODE    11
EXCEPTION_WITH_ERROR_CODE    12
EXCEPTION_WITH_ERROR_CODE    13
EXCEPTION_WITH_ERROR_CODE    14
EXCEPTION_WITHOUT_ERROR_CODE 15
EXCEPTION_WITHOUT_ERROR_CODE 16
EXCEPTION_WITH_ERROR_CODE    17
EXCEPTION_WITHOUT_ERROR_CODE 18
EXCEPTION_WITHOUT_ERROR_CODE 19
EXCEPTION_WITHOUT_ERROR_CODE 20
EXCEPTION_WITH_ERROR_CODE    21
EXCEPTION_WITHOUT_ERROR_CODE 22
EXCEPTION_WITHOUT_ERROR_CODE 23
EXCEPTION_WITHOUT_ERROR_CODE 24
EXCEPTION_WITHOUT_ERROR_CODE 25
EXCEPTION_WITHOUT_ERROR_CODE 26
EXCEPTION_WITHOUT_ERROR_CODE 27
EXCEPTION_WITHOUT_ERROR_CODE 28
EXCEPTION_WITH_ERROR_CODE    29
EXCEPTION_WITH_ERROR_CODE    30
EXCEPTION_WITHOUT_ERROR_CODE 31

exception_common:
    /* Save the general registers in the order of struct ExceptionFrame. */
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi             /* argument: the frame */
    movq %rsp, %rbx             /* callee-saved: the frame, for the way back */
    andq $-16, %rsp             /* the ABI wants a 16-byte aligned stack */
    cld
    call exception_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp              /* vector number and error code */
    iretq

    /* The table of the 32 entry points, for the IDT setup in Swift. */
    .section .rodata
    .p2align 3
    .globl exception_entry_table
exception_entry_table:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad exception_entry_\n
    .endr
