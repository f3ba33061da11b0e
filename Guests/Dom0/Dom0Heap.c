/*
 * Dom0's heap: larger than the 1 MiB a small guest gets (GuestRuntime.c
 * has the weak default this replaces), because dom0's store holds every
 * domain's nodes and its backends keep state per domain. The store's
 * per-domain quotas, and its refusal to grow when the heap runs low
 * (Dom0StoreBridge.hasRoomToGrow), keep the domains inside it.
 */
#include <stddef.h>
#include <stdint.h>

#define DOM0_HEAP_ARENA_SIZE (16 * 1024 * 1024)

uint8_t heap_arena[DOM0_HEAP_ARENA_SIZE] __attribute__((aligned(4096)));
const size_t heap_arena_size = DOM0_HEAP_ARENA_SIZE;
