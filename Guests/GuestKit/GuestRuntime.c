/*
 * GuestRuntime.c: the C library symbols that compiled Swift code calls and
 * that a guest has to provide itself: memset, memcpy, memmove, memcmp, an
 * allocator behind posix_memalign and free, ceil and arc4random_buf
 * (Dictionary and Set size their tables with one and seed their hashing
 * with the other). putchar is Swift, in ConsoleIO.swift; the allocator is
 * Swift too (GuestHeap.swift), with its C entry points here because Swift
 * may not define `free`.
 */
#include <stddef.h>
#include <stdint.h>
#include "GuestSupport.h"

/* The memory behind every Swift class instance, array and string of a
   guest: 1 MiB, weak, so that a guest that needs more defines its own
   heap_arena and heap_arena_size (Guests/Dom0/Dom0Heap.c). */
#define HEAP_ARENA_SIZE (1024 * 1024)
__attribute__((weak, aligned(4096))) uint8_t heap_arena[HEAP_ARENA_SIZE];
__attribute__((weak)) const size_t heap_arena_size = HEAP_ARENA_SIZE;

uint8_t console_line_buffer[CONSOLE_LINE_SIZE];

void *memset(void *destination, int value, size_t count) {
    uint8_t *d = destination;
    while (count--) *d++ = (uint8_t)value;
    return destination;
}

void *memcpy(void *restrict destination, const void *restrict source, size_t count) {
    uint8_t *d = destination;
    const uint8_t *s = source;
    while (count--) *d++ = *s++;
    return destination;
}

void *memmove(void *destination, const void *source, size_t count) {
    uint8_t *d = destination;
    const uint8_t *s = source;
    if (d < s) {
        while (count--) *d++ = *s++;
    } else {
        /* Overlap with the destination above the source: copy from the end. */
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

/*
 * The allocator is Swift: GuestHeap.swift runs the hypervisor's
 * HeapAllocator (Kernel/Core, shared with the guests) over heap_arena, so
 * free() really gives memory back, and a long-running guest (dom0's store
 * and backends) can allocate for ever. Swift may not define `free` itself,
 * hence these two wrappers.
 */
int guest_heap_allocate(void **result, size_t alignment, size_t size);
void guest_heap_free(void *pointer);

void *guest_heap_arena_address(void) { return heap_arena; }
size_t guest_heap_arena_size(void) { return heap_arena_size; }

int posix_memalign(void **result, size_t alignment, size_t size) {
    return guest_heap_allocate(result, alignment, size);
}

void free(void *pointer) {
    guest_heap_free(pointer);
}

/* Dictionary and Set size their tables with ceil(). Exact for every
   double: values of 2^52 and more (and infinities, NaN) are integral
   already; below, truncate toward zero and step up for a positive
   fraction. A negative fraction truncates to the ceiling, keeping -0. */
double ceil(double value) {
    const double two52 = 4503599627370496.0;
    if (!(value < two52 && value > -two52)) return value;
    double truncated = (double)(int64_t)value;
    if (truncated < value) return truncated + 1.0;
    if (truncated == 0.0 && value < 0.0) return -0.0;
    return truncated;
}

/* Hash seeds need distinct-looking bits, not secrets: mix the TSC. */
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
