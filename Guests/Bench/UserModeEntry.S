/*
 * UserModeEntry.S: the bench guest's ring 3, for the round trips a guest
 * kernel serves its own user space without the hypervisor: SYSCALL and
 * SYSRET, int 0x80 and IRETQ, and a page fault the kernel resolves.
 * UserModeSetup.swift installs everything these stubs rely on first: the
 * GDT with the user segments and a TSS whose RSP0 is
 * user_mode_interrupt_stack_top, STAR/LSTAR/SFMASK and EFER.SCE, IDT gate
 * 0x80 (DPL 3) and 14, and the U/S bits on the pages ring 3 touches.
 *
 *   void user_mode_run(operation, iterations, window_page_table);
 *
 * enters ring 3 at user_mode_loops with IRETQ, which runs `iterations`
 * operations of one kind in a tight loop and then leaves with SYSCALL
 * RAX = 0, which returns to user_mode_run's caller. The caller times the
 * whole call; a run with operation 0 (the loop alone) is its baseline, so
 * the IRETQ in and the SYSCALL out cancel.
 *
 * Selectors (Entry.S's GDT order, which SYSRET needs: STAR[63:48] = 0x18):
 * 0x08 kernel code, 0x10 kernel data, 0x23 user data, 0x2B user 64-bit code.
 * Interrupts stay off in ring 3 (RFLAGS = 2): nothing but the three
 * operations enters the kernel.
 */
#define USER_CODE       0x2B
#define USER_DATA       0x23
#define KERNEL_DATA     0x10
/* The page-fault window: PML4 entry 1 (UserModeSetup.swift), two pages. */
#define WINDOW_BASE     0x8000000000
#define OPERATION_SYSCALL 1
#define OPERATION_INT80   2
#define OPERATION_FAULT   3

    .code64
    .section .text.user_mode, "ax"

/* rdi = GDT base, si = its limit, dx = the TSS selector. LGDT reads a
   2-byte limit followed by the 8-byte base; LTR marks the TSS busy in the
   GDT, which is why that GDT is writable memory. */
    .globl user_mode_load_descriptor_tables
user_mode_load_descriptor_tables:
    subq  $16, %rsp
    movw  %si, 6(%rsp)
    movq  %rdi, 8(%rsp)
    lgdt  6(%rsp)
    ltr   %dx
    addq  $16, %rsp
    ret

/* After the U/S bits change: drop the stale translations. */
    .globl user_mode_flush_tlb
user_mode_flush_tlb:
    movq  %cr3, %rax
    movq  %rax, %cr3
    ret

/* rdi = operation, rsi = iterations, rdx = the window's page table. */
    .globl user_mode_run
user_mode_run:
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq  %rsp, saved_kernel_rsp(%rip)
    movq  %rdx, window_page_table(%rip)
    /* The loop's two fault addresses: RDX and RCX (RDI, RSI go as they are). */
    movabsq $WINDOW_BASE, %rdx
    leaq  4096(%rdx), %rcx
    /* IRETQ frame: SS, RSP, RFLAGS (IF off), CS, RIP. */
    pushq $USER_DATA
    leaq  user_mode_stack_top(%rip), %rax
    pushq %rax
    pushq $0x2
    pushq $USER_CODE
    leaq  user_mode_loops(%rip), %rax
    pushq %rax
    iretq

/* Ring 3. Each loop is one operation and the same `dec; jnz` as the empty
   loop, so a loop minus the empty one is the operation. */
    .globl user_mode_loops
user_mode_loops:
    testq %rsi, %rsi
    jz    9f
    cmpq  $OPERATION_SYSCALL, %rdi
    je    1f
    cmpq  $OPERATION_INT80, %rdi
    je    2f
    cmpq  $OPERATION_FAULT, %rdi
    je    3f
0:  decq  %rsi
    jnz   0b
    jmp   9f
1:  movl  $1, %eax                  /* any number but 0: return at once */
4:  syscall                         /* RCX, R11 := RIP, RFLAGS */
    decq  %rsi
    jnz   4b
    jmp   9f
2:  int   $0x80
    decq  %rsi
    jnz   2b
    jmp   9f
    /* A write to a page that is not present: the kernel maps it and
       unmaps the other one, so the next write, to the other page, faults
       too. */
3:  movq  %rsi, (%rdx)
    xchgq %rdx, %rcx
    decq  %rsi
    jnz   3b
9:  xorl  %eax, %eax
    syscall                         /* 0: leave ring 3 for good */
5:  jmp   5b                        /* not reached */

/* SYSCALL lands here in ring 0 (CS 0x08, SS 0x10 from STAR), still on the
   user stack, interrupts masked by SFMASK. A real kernel would switch
   stacks and dispatch; the null system call only returns. */
    .globl user_mode_syscall_entry
user_mode_syscall_entry:
    testq %rax, %rax
    jz    user_mode_leave
    sysretq                         /* RIP := RCX, RFLAGS := R11, CS 0x2B, SS 0x23 */

user_mode_leave:
    movq  saved_kernel_rsp(%rip), %rsp
    /* IRETQ to ring 3 nulled DS and ES (their DPL 0 < CPL 3): reload them. */
    movw  $KERNEL_DATA, %ax
    movw  %ax, %ds
    movw  %ax, %es
    popq  %r15
    popq  %r14
    popq  %r13
    popq  %r12
    popq  %rbp
    popq  %rbx
    ret

/* int 0x80 from ring 3: the CPU switched to the TSS's RSP0 and pushed
   SS, RSP, RFLAGS, CS, RIP. The null system call returns at once. */
    .globl user_mode_int80_entry
user_mode_int80_entry:
    iretq

/* #PF (vector 14): error code, RIP, CS, RFLAGS, RSP, SS on the stack. A
   fault from ring 3 in one of the window's two pages makes that page
   present and the other not present (INVLPG drops its translation), then
   returns to retry the write. Any other fault is a bug: GuestKit's report
   (GuestExceptionEntry.S, through its table) gets the frame unchanged. */
    .globl user_mode_page_fault_entry
user_mode_page_fault_entry:
    testb $3, 16(%rsp)              /* CS's RPL: 0 means the kernel faulted */
    jz    8f
    pushq %rax
    pushq %rcx
    pushq %rdx
    movq  %cr2, %rax
    movabsq $WINDOW_BASE, %rdx
    subq  %rdx, %rax
    shrq  $12, %rax                 /* page index in the window */
    cmpq  $1, %rax
    ja    7f
    movq  window_page_table(%rip), %rdx
    orq   $1, (%rdx,%rax,8)         /* present */
    xorq  $1, %rax
    andq  $-2, (%rdx,%rax,8)        /* the other page: not present */
    shlq  $12, %rax
    movabsq $WINDOW_BASE, %rcx
    addq  %rcx, %rax
    invlpg (%rax)
    popq  %rdx
    popq  %rcx
    popq  %rax
    addq  $8, %rsp                  /* the error code */
    iretq
7:  popq  %rdx
    popq  %rcx
    popq  %rax
8:  jmp   *exception_entry_table+14*8(%rip)

    .section .bss.user_mode, "aw", @nobits
    .p2align 3
saved_kernel_rsp:   .space 8
window_page_table:  .space 8
    .p2align 12
user_mode_stack:    .space 4096
    .globl user_mode_stack_top
user_mode_stack_top:
user_mode_interrupt_stack: .space 8192
    .globl user_mode_interrupt_stack_top
user_mode_interrupt_stack_top:
