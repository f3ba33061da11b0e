/*
 * GuestRuntime.c: the C library symbols that compiled Swift code calls and
 * that a guest has to provide itself: memset, memcpy, memmove, memcmp, an
 * allocator behind posix_memalign and free, and arc4random_buf (Dictionary
 * and Set seed their hashing with it). putchar is Swift, in ConsoleIO.swift;
 * free is here because Swift may not define it.
 */
#include <stddef.h>
#include <stdint.h>
#include "GuestSupport.h"

#define ENOMEM 12
#define EINVAL 22

/* The memory behind every Swift class instance, array and string of a guest. */
#define HEAP_ARENA_SIZE (1024 * 1024)
/* Every allocation is at least this aligned, as malloc's would be. */
#define HEAP_MINIMUM_ALIGNMENT 16

static uint8_t heap_arena[HEAP_ARENA_SIZE] __attribute__((aligned(4096)));
static size_t heap_used;

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
 * A bump allocator: each allocation takes the next free bytes of the arena,
 * and free() gives nothing back. Guests are short-lived and print a few
 * dozen lines, so the simplest allocator that cannot go wrong is enough;
 * a guest that runs for long (a backend loop) needs a real one.
 */
int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    if (alignment < HEAP_MINIMUM_ALIGNMENT) alignment = HEAP_MINIMUM_ALIGNMENT;
    size_t start = (heap_used + alignment - 1) & ~(alignment - 1);
    if (start > HEAP_ARENA_SIZE || size > HEAP_ARENA_SIZE - start) return ENOMEM;
    heap_used = start + size;
    *result = heap_arena + start;
    return 0;
}

void free(void *pointer) {
    (void)pointer;   /* the bump allocator never reuses memory, see above */
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
