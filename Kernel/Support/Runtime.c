/*
 * Runtime.c: the C library symbols that compiled Swift code calls and that a
 * bare-metal image has to provide itself. The allocator is written in Swift
 * (Kernel/Main/RuntimeAllocator.swift; Swift may not define `free` itself),
 * and putchar in Kernel/Arch/x86_64/SerialPort.swift.
 */
#include <stddef.h>
#include <stdint.h>
#include "Support.h"

__attribute__((aligned(4096))) uint8_t heap_arena[HEAP_ARENA_SIZE];

/* Implemented in Swift: RuntimeAllocator.swift. */
int heap_allocate(void **result, size_t alignment, size_t size);
void heap_free(void *pointer);

int posix_memalign(void **result, size_t alignment, size_t size) {
    return heap_allocate(result, alignment, size);
}

void free(void *pointer) {
    heap_free(pointer);
}

/* memset and memcpy move whole 8-byte words with REP STOSQ / REP MOVSQ,
   then the bytes left over. Zeroing a guest's frames and copying grants are
   most of what they do: a word per iteration is 8 times fewer than bytes,
   on hardware and in an emulator, and REP's microcode is what CPUs make fast
   (Intel SDM Vol. 1, 7.3.9.3 and the optimization manual's "REP string"). */
void *memset(void *destination, int value, size_t count) {
    uint8_t *d = destination;
    size_t words = count / 8;
    uint64_t pattern = 0x0101010101010101ULL * (uint8_t)value;
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
    for (size_t tail = count % 8; tail; tail--) *d++ = (uint8_t)value;
    return destination;
}

void *memcpy(void *restrict destination, const void *restrict source, size_t count) {
    uint8_t *d = destination;
    const uint8_t *s = source;
    size_t words = count / 8;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
    for (size_t tail = count % 8; tail; tail--) *d++ = *s++;
    return destination;
}

void *memmove(void *destination, const void *source, size_t count) {
    uint8_t *d = destination;
    const uint8_t *s = source;
    if (d < s) {
        while (count--) *d++ = *s++;
    } else {
        d += count;
        s += count;
        while (count--) *--d = *--s;
    }
    return destination;
}

int memcmp(const void *a, const void *b, size_t count) {
    const uint8_t *x = a, *y = b;
    for (; count; count--, x++, y++)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

/* Dictionary and Set seed their hashing from this. The hypervisor needs no
   unpredictability here, only distinct-looking bits: mix the TSC. */
void arc4random_buf(void *buffer, size_t count) {
    uint8_t *b = buffer;
    uint64_t state = read_tsc() | 1;
    while (count--) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *b++ = (uint8_t)state;
    }
}
