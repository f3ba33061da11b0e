/*
 * VMXEntry.S: enter a VMX guest and come back from its VM exit.
 *
 *   uint64_t vmx_enter(void *registers,      // rdi: GuestRegisters (16 x 8 bytes)
 *                      uint64_t launched,    // rsi: 0 = VMLAUNCH, else VMRESUME
 *                      void *fxsave_area);   // rdx: the guest's x87/SSE state
 *
 * VM entry loads the guest's RIP, RSP, RFLAGS, control and segment state from
 * the VMCS, but not its general registers or its x87/SSE registers; a VM exit
 * loads the host's RIP and RSP from the VMCS host-state area (HOST_RIP,
 * HOST_RSP) and clears RFLAGS to 2 (SDM 27.5.3). So, in order:
 *   1. save the host's callee-saved registers and keep the two pointers and
 *      the host's MXCSR and x87 control word (callee-saved in the SysV ABI)
 *      in a small frame on the stack;
 *   2. load the guest's x87/SSE state (FXRSTOR);
 *   3. write HOST_RSP = this frame and HOST_RIP = vmx_exit_point, so that a
 *      VM exit lands below with the frame on top of the stack;
 *   4. load the guest's general registers, RDI (the block's own pointer) last;
 *   5. VMLAUNCH or VMRESUME. If that returns, the entry failed (SDM 26.1,
 *      26.2): CF = 1 VMfailInvalid, ZF = 1 VMfailValid; return 1 or 2.
 * At vmx_exit_point the guest's registers are live: store them into the
 * block, FXSAVE the guest's x87/SSE state, restore the host's, return 0.
 *
 * The guest may use SSE (a Swift guest does) and the hypervisor's Swift code
 * does too: without steps 2 and the FXSAVE, every exit would corrupt the
 * guest's XMM registers.
 */

#define VMCS_HOST_RSP   0x6C14      /* SDM Appendix B.4.4, natural-width host state */
#define VMCS_HOST_RIP   0x6C16

/* GuestRegisters (Kernel/Core/GuestRegisters.swift) */
#define REG_RAX 0x00
#define REG_RBX 0x08
#define REG_RCX 0x10
#define REG_RDX 0x18
#define REG_RSI 0x20
#define REG_RDI 0x28
#define REG_RBP 0x30
#define REG_R8  0x38
#define REG_R9  0x40
#define REG_R10 0x48
#define REG_R11 0x50
#define REG_R12 0x58
#define REG_R13 0x60
#define REG_R14 0x68
#define REG_R15 0x70

/* The frame at HOST_RSP */
#define FRAME_REGISTERS 0           /* the GuestRegisters pointer */
#define FRAME_FXSAVE    8           /* the guest's FXSAVE area */
#define FRAME_MXCSR     16          /* the host's MXCSR (4 bytes) */
#define FRAME_FPU_CW    20          /* the host's x87 control word (2 bytes) */
#define FRAME_SIZE      24

    .code64
    .section .text.vmx_enter, "ax"
    .globl vmx_enter
    .type vmx_enter, @function
vmx_enter:
    /* 1. host callee-saved registers and the frame */
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq  $FRAME_SIZE, %rsp
    movq  %rdi, FRAME_REGISTERS(%rsp)
    movq  %rdx, FRAME_FXSAVE(%rsp)
    stmxcsr FRAME_MXCSR(%rsp)
    fnstcw  FRAME_FPU_CW(%rsp)

    /* 2. the guest's x87/SSE state */
    fxrstor64 (%rdx)

    /* 3. where the VM exit comes back to (if these fail, there is no current
       VMCS and VMLAUNCH/VMRESUME below fail with VMfailInvalid) */
    movl  $VMCS_HOST_RSP, %eax
    vmwrite %rsp, %rax
    leaq  vmx_exit_point(%rip), %rcx
    movl  $VMCS_HOST_RIP, %eax
    vmwrite %rcx, %rax

    /* 4. the guest's general registers; MOV leaves the flags of this TEST alone */
    testq %rsi, %rsi
    movq  REG_RAX(%rdi), %rax
    movq  REG_RBX(%rdi), %rbx
    movq  REG_RCX(%rdi), %rcx
    movq  REG_RDX(%rdi), %rdx
    movq  REG_RSI(%rdi), %rsi
    movq  REG_RBP(%rdi), %rbp
    movq  REG_R8(%rdi),  %r8
    movq  REG_R9(%rdi),  %r9
    movq  REG_R10(%rdi), %r10
    movq  REG_R11(%rdi), %r11
    movq  REG_R12(%rdi), %r12
    movq  REG_R13(%rdi), %r13
    movq  REG_R14(%rdi), %r14
    movq  REG_R15(%rdi), %r15
    movq  REG_RDI(%rdi), %rdi

    /* 5. enter */
    jnz   1f
    vmlaunch
    jmp   2f
1:  vmresume
2:  /* Still here: the entry failed before the guest ran. The flags tell how. */
    movl  $2, %eax                  /* VMfailValid (ZF = 1) */
    jnc   3f
    movl  $1, %eax                  /* VMfailInvalid (CF = 1) */
3:  jmp   vmx_restore_host

    .globl vmx_exit_point
vmx_exit_point:
    /* A VM exit: RSP = HOST_RSP (our frame), every other register but RIP
       still holds the guest's value. Free RDI first to address the block. */
    pushq %rdi
    movq  8 + FRAME_REGISTERS(%rsp), %rdi
    movq  %rax, REG_RAX(%rdi)
    movq  %rbx, REG_RBX(%rdi)
    movq  %rcx, REG_RCX(%rdi)
    movq  %rdx, REG_RDX(%rdi)
    movq  %rsi, REG_RSI(%rdi)
    movq  %rbp, REG_RBP(%rdi)
    movq  %r8,  REG_R8(%rdi)
    movq  %r9,  REG_R9(%rdi)
    movq  %r10, REG_R10(%rdi)
    movq  %r11, REG_R11(%rdi)
    movq  %r12, REG_R12(%rdi)
    movq  %r13, REG_R13(%rdi)
    movq  %r14, REG_R14(%rdi)
    movq  %r15, REG_R15(%rdi)
    popq  %rax                      /* the guest's RDI */
    movq  %rax, REG_RDI(%rdi)

    /* the guest's x87/SSE state */
    movq  FRAME_FXSAVE(%rsp), %rax
    fxsave64 (%rax)
    xorl  %eax, %eax                /* VMX_ENTER_EXITED */

vmx_restore_host:
    /* a clean x87 unit with the host's control words, then the host's
       callee-saved registers */
    fninit
    ldmxcsr FRAME_MXCSR(%rsp)
    fldcw   FRAME_FPU_CW(%rsp)
    addq  $FRAME_SIZE, %rsp
    popq  %r15
    popq  %r14
    popq  %r13
    popq  %r12
    popq  %rbx
    popq  %rbp
    ret
    .size vmx_enter, . - vmx_enter
