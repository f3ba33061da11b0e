/*
 * HypercallPageSetup.S: the page the hypervisor fills with hypercall stubs
 * (HypercallPageSetup.swift asks for that through the MSR). It is code, so it
 * sits in the executable segment; 4 KiB aligned because the MSR takes a page
 * address. Zeros until the hypervisor writes it.
 */
    .section .hypercall_page, "ax"
    .p2align 12
    .globl hypercall_page
hypercall_page:
    .space 4096
