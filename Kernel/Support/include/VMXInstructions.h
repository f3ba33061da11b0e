/*
 * VMXInstructions.h: the VMX instructions the VMX backend needs, as tiny
 * inline functions (Intel SDM Vol. 3C, chapter 31 "VMX instruction
 * reference"), plus the reads of host descriptor-table registers that go
 * into the VMCS host-state area, and the VM entry stub in VMXEntry.S.
 *
 * Every VMX instruction reports success in RFLAGS (SDM 31.2):
 *   VMsucceed:      CF = 0, ZF = 0
 *   VMfailInvalid:  CF = 1          (no current VMCS, or a bad pointer)
 *   VMfailValid:    ZF = 1          (the reason is in the VM-instruction
 *                                    error field of the current VMCS)
 * so "seta" (CF = 0 and ZF = 0) yields true exactly on success.
 */
#ifndef VMX_INSTRUCTIONS_H
#define VMX_INSTRUCTIONS_H

#include <stdint.h>
#include <stdbool.h>

/* VMCLEAR: flush a VMCS to memory and mark it clear (not launched, not
   current). The operand is the memory location holding its physical address. */
static inline bool vmx_clear(uint64_t vmcs_physical_address) {
    bool ok;
    __asm__ volatile("vmclear %1\n\tseta %0"
                     : "=q"(ok) : "m"(vmcs_physical_address) : "cc", "memory");
    return ok;
}

/* VMPTRLD: make a VMCS the current one; VMREAD/VMWRITE/VMLAUNCH act on it. */
static inline bool vmx_pointer_load(uint64_t vmcs_physical_address) {
    bool ok;
    __asm__ volatile("vmptrld %1\n\tseta %0"
                     : "=q"(ok) : "m"(vmcs_physical_address) : "cc", "memory");
    return ok;
}

/* VMREAD: the value of one field of the current VMCS (0 if the read fails;
   the field encoding goes in a register, AT&T order is "field, result").
   VMREAD and VMWRITE are on the way of every exit: always_inline, because
   at -Osize swiftc otherwise calls an out-of-line copy of each (five
   instructions of call, frame and return around one). They touch no memory
   the compiler knows (the current VMCS is the processor's, never accessed
   with loads and stores), so they declare no "memory" clobber: with one,
   every VMREAD made the compiler reload every value it had in registers.
   `volatile` still keeps them in program order with each other and with
   vmx_enter, VMPTRLD and VMCLEAR, and never merges two reads. */
static inline __attribute__((always_inline)) uint64_t vmx_read(uint64_t field) {
    uint64_t value = 0;
    __asm__ volatile("vmread %1, %0" : "+r"(value) : "r"(field) : "cc");
    return value;
}

/* VMWRITE: store one field of the current VMCS (AT&T order "value, field").
   The value goes in a register: given "rm", clang spills it to the stack. */
static inline __attribute__((always_inline)) bool vmx_write(uint64_t field, uint64_t value) {
    bool ok;
    __asm__ volatile("vmwrite %2, %1\n\tseta %0"
                     : "=q"(ok) : "r"(field), "r"(value) : "cc");
    return ok;
}

/* INVEPT (SDM 31.3 "INVEPT"): drop cached EPT translations. type 1 =
   single-context (the mappings of one EPTP), type 2 = all contexts. The
   descriptor is 128 bits: the EPTP, then 64 reserved bits that must be 0. */
static inline bool vmx_invept(uint64_t type, uint64_t eptp) {
    struct { uint64_t eptp, reserved; } __attribute__((aligned(16))) descriptor = { eptp, 0 };
    bool ok;
    __asm__ volatile("invept %1, %2\n\tseta %0"
                     : "=q"(ok) : "m"(descriptor), "r"(type) : "cc", "memory");
    return ok;
}

/* INVVPID (SDM Vol. 3C 30.3): forget the linear and combined translations
   tagged with a VPID; type 1 = that VPID (single context), 2 = all VPIDs.
   The descriptor holds the VPID in bits 15:0. */
static inline bool vmx_invvpid(uint64_t type, uint16_t vpid) {
    struct { uint64_t vpid, address; } __attribute__((aligned(16))) descriptor = { vpid, 0 };
    bool ok;
    __asm__ volatile("invvpid %1, %2\n\tseta %0"
                     : "=q"(ok) : "m"(descriptor), "r"(type) : "cc", "memory");
    return ok;
}

/* ---- Host state the VMCS needs (SDM 24.5 "Host-state area") ------------ */

typedef struct {
    uint64_t base;
    uint16_t limit;
} DescriptorTableRegister;

static inline DescriptorTableRegister read_gdtr(void) {
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer;
    __asm__ volatile("sgdt %0" : "=m"(pointer));
    DescriptorTableRegister result = { pointer.base, pointer.limit };
    return result;
}

static inline DescriptorTableRegister read_idtr(void) {
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } pointer;
    __asm__ volatile("sidt %0" : "=m"(pointer));
    DescriptorTableRegister result = { pointer.base, pointer.limit };
    return result;
}

/* STR: the task register's selector. */
static inline uint16_t read_task_register(void) {
    uint16_t selector;
    __asm__ volatile("str %0" : "=r"(selector));
    return selector;
}

/* ---- VMXEntry.S ---------------------------------------------------------- */

/* What vmx_enter returns. */
#define VMX_ENTER_EXITED        0   /* the guest ran and a VM exit came back */
#define VMX_ENTER_FAIL_INVALID  1   /* VMLAUNCH/VMRESUME: VMfailInvalid */
#define VMX_ENTER_FAIL_VALID    2   /* VMfailValid: see the VM-instruction error */

/* Loads the guest's general registers from `registers` (GuestRegisters, 16
   x 8 bytes) and its x87/SSE state from `fxsave_area` (512 bytes, 16-byte
   aligned), enters the guest with VMLAUNCH (launched == 0) or VMRESUME, and
   on the VM exit stores both back. Needs a current VMCS. */
uint64_t vmx_enter(void *registers, uint64_t launched, void *fxsave_area);

#endif
