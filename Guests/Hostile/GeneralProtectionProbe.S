/*
 * GeneralProtectionProbe.S: single instructions that may raise #GP, for the
 * hostile guest's checks of the hypervisor's CR4 and MSR policies.
 *
 * GuestKit's exception handlers end the domain on any exception
 * (GuestExceptionEntry.S). Here a #GP is the expected answer, so for the one
 * instruction a probe borrows IDT gate 13: it points the gate at a landing
 * pad that records the error code and resumes after the instruction, and
 * puts the gate back before it returns.
 *
 *   uint64_t write_cr4_catching_gp(uint64_t value, uint64_t *error_code);
 *     CR4 = value.
 *   uint64_t msr_write_catching_gp(uint32_t msr, uint64_t value, uint64_t *error_code);
 *     WRMSR of value to msr.
 *   uint64_t msr_read_catching_gp(uint32_t msr, uint64_t *value, uint64_t *error_code);
 *     RDMSR of msr into *value (untouched on #GP).
 *   Each returns 0 if the instruction completed, 1 if it raised #GP (then
 *   nothing changed and the error code is in *error_code).
 *
 * Interrupts are off meanwhile, so nothing else meets the borrowed gate.
 * An exception at ring 0 through a 64-bit interrupt gate pushes SS, RSP,
 * RFLAGS, CS, RIP and, for #GP, an error code (Intel SDM Vol. 3A, 6.14.2);
 * IRETQ returns to whatever RIP the frame holds then. The landing pad
 * finds where to resume in R11 and the error code's address in RSI.
 */
    .code64
    .section .text.general_protection_probe, "ax"

    /* Each 64-bit IDT gate is 16 bytes (SDM Vol. 3A, 6.14.1). */
    .set GATE_13_OFFSET, 13 * 16

/* Interrupts off (RFLAGS pushed), then gate 13 -> gp_landing, the old gate
   kept in R9/R10 and its address in R8. Clobbers RAX, RCX, RDX. */
.macro BORROW_GATE_13
    pushfq
    cli
    subq  $16, %rsp
    sidt  (%rsp)                    /* limit (2 bytes), then base (8 bytes) */
    movq  2(%rsp), %r8
    addq  $16, %rsp
    addq  $GATE_13_OFFSET, %r8      /* r8 = the #GP gate */
    movq  (%r8), %r9                /* the gate, to put back */
    movq  8(%r8), %r10

    /* The same gate (selector, type, DPL) for the landing pad: offset bits
       15:0 go to bits 15:0, bits 31:16 to bits 63:48, bits 63:32 to the
       upper 8 bytes. */
    leaq  gp_landing(%rip), %rax
    movabsq $0x0000FFFFFFFF0000, %rcx
    andq  %r9, %rcx
    movzwl %ax, %edx
    orq   %rdx, %rcx
    movq  %rax, %rdx
    shrq  $16, %rdx
    shlq  $48, %rdx
    orq   %rdx, %rcx
    movq  %rax, %rdx
    shrq  $32, %rdx
    movq  %rcx, (%r8)
    movq  %rdx, 8(%r8)
.endm

/* Gate 13 as it was, and RFLAGS (interrupts) as they were. */
.macro RESTORE_GATE_13
    movq  %r9, (%r8)
    movq  %r10, 8(%r8)
    popfq
.endm

    .globl write_cr4_catching_gp
    .type write_cr4_catching_gp, @function
write_cr4_catching_gp:              /* value in RDI, error_code in RSI */
    BORROW_GATE_13
    leaq  1f(%rip), %r11
    movq  %rdi, %cr4
    xorl  %eax, %eax                /* 0: no #GP */
1:  RESTORE_GATE_13                 /* the landing pad resumes here, EAX = 1 */
    ret
    .size write_cr4_catching_gp, . - write_cr4_catching_gp

    .globl msr_write_catching_gp
    .type msr_write_catching_gp, @function
msr_write_catching_gp:              /* msr in EDI, value in RSI, error_code in RDX */
    pushq %rdx                      /* 24(%rsp) once the flags are pushed */
    pushq %rsi                      /* 16(%rsp) */
    pushq %rdi                      /*  8(%rsp) */
    BORROW_GATE_13
    movl  8(%rsp), %ecx             /* the MSR */
    movq  16(%rsp), %rax            /* EDX:EAX = the value */
    movq  %rax, %rdx
    shrq  $32, %rdx
    movq  24(%rsp), %rsi            /* where the landing pad puts the error code */
    leaq  1f(%rip), %r11
    wrmsr
    xorl  %eax, %eax
1:  RESTORE_GATE_13
    addq  $24, %rsp
    ret
    .size msr_write_catching_gp, . - msr_write_catching_gp

    .globl msr_read_catching_gp
    .type msr_read_catching_gp, @function
msr_read_catching_gp:               /* msr in EDI, value in RSI, error_code in RDX */
    pushq %rdx                      /* 24(%rsp) once the flags are pushed */
    pushq %rsi                      /* 16(%rsp) */
    pushq %rdi                      /*  8(%rsp) */
    BORROW_GATE_13
    movl  8(%rsp), %ecx
    movq  24(%rsp), %rsi
    leaq  1f(%rip), %r11
    rdmsr
    shlq  $32, %rdx                 /* *value = EDX:EAX */
    movl  %eax, %eax
    orq   %rdx, %rax
    movq  16(%rsp), %rdx
    movq  %rax, (%rdx)
    xorl  %eax, %eax
1:  RESTORE_GATE_13
    addq  $24, %rsp
    ret
    .size msr_read_catching_gp, . - msr_read_catching_gp

    .type gp_landing, @function
gp_landing:
    popq  %rax                      /* the error code */
    movq  %rax, (%rsi)
    movq  %r11, (%rsp)              /* the frame's RIP: past the instruction */
    movl  $1, %eax
    iretq
    .size gp_landing, . - gp_landing
