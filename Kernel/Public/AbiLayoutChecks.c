/*
 * Compile-time checks that the ABI structs have Xen's sizes and offsets.
 * This file is also what makes Kernel/Public a SwiftPM target, so the host
 * tests import the very same headers the hypervisor and guests use.
 */
#include <stddef.h>
#include "xen_public.h"

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info is 56 bytes");
_Static_assert(offsetof(struct hvm_start_info, modlist_paddr) == 16, "modlist_paddr at 16");
_Static_assert(offsetof(struct hvm_start_info, memmap_paddr) == 40, "memmap_paddr at 40");
_Static_assert(offsetof(struct hvm_start_info, memmap_entries) == 48, "memmap_entries at 48");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry is 32 bytes");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry is 24 bytes");
_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param is 16 bytes");
_Static_assert(offsetof(struct xen_hvm_param, index) == 4, "xen_hvm_param.index at 4");
_Static_assert(offsetof(struct xen_hvm_param, value) == 8, "xen_hvm_param.value at 8");
_Static_assert(sizeof(struct xen_hvm_evtchn_upcall_vector) == 8, "xen_hvm_evtchn_upcall_vector is 8 bytes");
_Static_assert(offsetof(struct xen_hvm_evtchn_upcall_vector, vector) == 4, "xen_hvm_evtchn_upcall_vector.vector at 4");
_Static_assert(sizeof(struct xen_feature_info) == 8, "xen_feature_info is 8 bytes");
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown is 4 bytes");
_Static_assert(sizeof(struct xen_compile_info) == 144, "xen_compile_info is 144 bytes");
_Static_assert(sizeof(struct xen_memory_map) == 16, "xen_memory_map is 16 bytes");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "xen_memory_map.buffer at 8");
_Static_assert(sizeof(struct xen_e820_entry) == 20, "an E820 entry is 20 bytes");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl.u at 16");
_Static_assert(sizeof(struct xen_domctl) == 16 + 128, "xen_domctl is 144 bytes");
_Static_assert(offsetof(struct xen_domctl, domain) == 8, "xen_domctl.domain at 8");
_Static_assert(offsetof(struct xen_domctl_createdomain, handle) == 4, "createdomain.handle at 4");
_Static_assert(offsetof(struct xen_domctl_createdomain, flags) == 20, "createdomain.flags at 20");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_vcpus) == 28, "createdomain.max_vcpus at 28");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 96, "xen_domctl_getdomaininfo is 96 bytes");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76, "getdomaininfo.handle at 76");
_Static_assert(offsetof(struct xen_domctl_vcpucontext, ctxt) == 8, "vcpucontext.ctxt at 8");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8, "getdomaininfo.tot_pages at 8");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64, "getdomaininfo.nr_online_vcpus at 64");
_Static_assert(offsetof(struct vcpu_hvm_x86_32, efer) == 56, "vcpu_hvm_x86_32.efer at 56");
_Static_assert(sizeof(struct vcpu_hvm_x86_32) == 120, "vcpu_hvm_x86_32 is 120 bytes");
_Static_assert(offsetof(struct vcpu_hvm_context, cpu_regs) == 8, "vcpu_hvm_context.cpu_regs at 8");
_Static_assert(sizeof(struct vcpu_hvm_x86_64) == 112, "vcpu_hvm_x86_64 is 112 bytes");
_Static_assert(sizeof(struct vcpu_hvm_context) == 128, "vcpu_hvm_context is 128 bytes");
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "xen_memory_reservation is 32 bytes");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "xen_memory_reservation.domid at 24");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "xen_add_to_physmap is 24 bytes");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8, "xen_add_to_physmap.idx at 8");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16, "xen_add_to_physmap.gpfn at 16");
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "xen_add_to_physmap_batch is 32 bytes");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, foreign_domid) == 6, "batch foreign_domid at 6");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, idxs) == 8, "batch idxs at 8");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, errs) == 24, "batch errs at 24");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "xen_remove_from_physmap is 16 bytes");
_Static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 32, "physinfo.total_pages at 32");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 72, "xen_sysctl_physinfo is 72 bytes");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u at 8");
_Static_assert(sizeof(struct xen_sysctl) == 8 + 128, "xen_sysctl is 136 bytes");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "vcpu_set_singleshot_timer is 16 bytes");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8, "singleshot flags at 8");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll is 24 bytes");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout at 16");
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info is 32 bytes");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "tsc_to_system_mul at 24");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "tsc_shift at 28");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29, "vcpu_time_info.flags at 29");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "evtchn_pending_sel at 8");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time at 32");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "evtchn_pending at 2048");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "evtchn_mask at 2560");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "wc_version at 3072");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 3084, "wc_sec_hi at 3084");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "shared_info.arch at 3088");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info is 3136 bytes");

_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "vcpu_register_vcpu_info is 16 bytes");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8, "vcpu_register_vcpu_info.offset at 8");

/* The 32-bit (compat) layouts, xen_compat.h. */
_Static_assert(sizeof(struct compat_memory_map) == 8, "compat_memory_map is 8 bytes");
_Static_assert(offsetof(struct compat_memory_map, buffer) == 4, "compat_memory_map.buffer at 4");
_Static_assert(sizeof(struct compat_add_to_physmap) == 16, "compat_add_to_physmap is 16 bytes");
_Static_assert(offsetof(struct compat_add_to_physmap, idx) == 8, "compat_add_to_physmap.idx at 8");
_Static_assert(offsetof(struct compat_add_to_physmap, gpfn) == 12, "compat_add_to_physmap.gpfn at 12");
_Static_assert(sizeof(struct compat_sched_poll) == 16, "compat_sched_poll is 16 bytes");
_Static_assert(offsetof(struct compat_sched_poll, nr_ports) == 4, "compat_sched_poll.nr_ports at 4");
_Static_assert(offsetof(struct compat_sched_poll, timeout) == 8, "compat_sched_poll.timeout at 8");
_Static_assert(sizeof(struct compat_vcpu_set_singleshot_timer) == 12, "compat_vcpu_set_singleshot_timer is 12 bytes");
_Static_assert(offsetof(struct compat_vcpu_set_singleshot_timer, flags) == 8, "compat singleshot flags at 8");
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "evtchn_alloc_unbound is 8 bytes");
_Static_assert(offsetof(struct evtchn_alloc_unbound, remote_dom) == 2, "alloc_unbound.remote_dom at 2");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4, "alloc_unbound.port at 4");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "evtchn_bind_interdomain is 12 bytes");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "bind_interdomain.remote_port at 4");
_Static_assert(offsetof(struct evtchn_bind_interdomain, local_port) == 8, "bind_interdomain.local_port at 8");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq is 12 bytes");
_Static_assert(offsetof(struct evtchn_bind_virq, port) == 8, "bind_virq.port at 8");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "evtchn_bind_ipi is 8 bytes");
_Static_assert(offsetof(struct evtchn_bind_ipi, port) == 4, "bind_ipi.port at 4");
_Static_assert(sizeof(struct evtchn_close) == 4, "evtchn_close is 4 bytes");
_Static_assert(sizeof(struct evtchn_send) == 4, "evtchn_send is 4 bytes");
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status is 24 bytes");
_Static_assert(offsetof(struct evtchn_status, port) == 4, "status.port at 4");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "status.status at 8");
_Static_assert(offsetof(struct evtchn_status, vcpu) == 12, "status.vcpu at 12");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "status.u at 16");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "status.u.interdomain.port at 20");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu is 8 bytes");
_Static_assert(offsetof(struct evtchn_bind_vcpu, vcpu) == 4, "bind_vcpu.vcpu at 4");
_Static_assert(sizeof(struct evtchn_unmask) == 4, "evtchn_unmask is 4 bytes");
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset is 2 bytes");
_Static_assert(EVTCHN_2L_NR_CHANNELS == sizeof(((struct shared_info *)0)->evtchn_pending) * 8,
               "one evtchn_pending bit per 2-level port");
_Static_assert(EVTCHN_2L_NR_CHANNELS == 8 * sizeof(((struct vcpu_info *)0)->evtchn_pending_sel)
               * 8 * sizeof(uint64_t), "one selector bit per 64-port word");

_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info is 48 bytes");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "runstate state_entry_time at 8");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "runstate time at 16");
_Static_assert(sizeof(struct compat_vcpu_runstate_info) == 44, "compat_vcpu_runstate_info is 44 bytes");
_Static_assert(offsetof(struct compat_vcpu_runstate_info, time) == 12, "compat runstate time at 12");
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "vcpu_register_runstate_memory_area is 8 bytes");
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg is 16 bytes");
_Static_assert(offsetof(struct xsd_sockmsg, len) == 12, "xsd_sockmsg.len at 12");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp) == 1024, "xenstore rsp at 1024");
_Static_assert(offsetof(struct xenstore_domain_interface, req_cons) == 2048, "xenstore req_cons at 2048");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp_prod) == 2060, "xenstore rsp_prod at 2060");
_Static_assert(offsetof(struct xenstore_domain_interface, server_features) == 2064, "server_features at 2064");
_Static_assert(offsetof(struct xenstore_domain_interface, error) == 2072, "xenstore error at 2072");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2076, "xenstore_domain_interface is 2076 bytes");
_Static_assert(XS_RESET_WATCHES == 21 && XS_DIRECTORY_PART == 22, "XS_RESET_WATCHES 21, XS_DIRECTORY_PART 22");

/* The PV console page (io/console.h). */
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface is 3088 bytes");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "xencons_interface.out at 1024");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "xencons_interface.in_cons at 3072");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "xencons_interface.out_prod at 3084");
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 is 8 bytes");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "grant_entry_v1.domid at 2");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame at 4");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "gnttab_map_grant_ref is 32 bytes");
_Static_assert(offsetof(struct gnttab_map_grant_ref, ref) == 12, "map_grant_ref.ref at 12");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "map_grant_ref.status at 18");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "map_grant_ref.handle at 20");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map_grant_ref.dev_bus_addr at 24");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "gnttab_unmap_grant_ref is 24 bytes");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16, "unmap_grant_ref.handle at 16");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20, "unmap_grant_ref.status at 20");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "gnttab_setup_table is 24 bytes");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8, "setup_table.status at 8");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "setup_table.frame_list at 16");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size is 16 bytes");
_Static_assert(offsetof(struct gnttab_query_size, nr_frames) == 4, "query_size.nr_frames at 4");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8, "query_size.max_nr_frames at 8");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12, "query_size.status at 12");
_Static_assert(sizeof(struct gnttab_set_version) == 4, "gnttab_set_version is 4 bytes");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "gnttab_get_version is 8 bytes");
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "gnttab_copy_ptr is 16 bytes");
_Static_assert(offsetof(struct gnttab_copy_ptr, domid) == 8, "copy_ptr.domid at 8");
_Static_assert(offsetof(struct gnttab_copy_ptr, offset) == 10, "copy_ptr.offset at 10");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy is 40 bytes");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "gnttab_copy.dest at 16");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "gnttab_copy.len at 32");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "gnttab_copy.status at 36");

/* The block device protocol (io/blkif.h over io/ring.h), x86_64 layouts. */
_Static_assert(sizeof(struct blkif_request_segment) == 8, "blkif_request_segment is 8 bytes");
_Static_assert(offsetof(struct blkif_request_segment, first_sect) == 4, "segment.first_sect at 4");
_Static_assert(offsetof(struct blkif_request_segment, last_sect) == 5, "segment.last_sect at 5");
_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request is 112 bytes");
_Static_assert(offsetof(struct blkif_request, nr_segments) == 1, "blkif_request.nr_segments at 1");
_Static_assert(offsetof(struct blkif_request, handle) == 2, "blkif_request.handle at 2");
_Static_assert(offsetof(struct blkif_request, id) == 8, "blkif_request.id at 8");
_Static_assert(offsetof(struct blkif_request, sector_number) == 16, "blkif_request.sector_number at 16");
_Static_assert(offsetof(struct blkif_request, seg) == 24, "blkif_request.seg at 24");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response is 16 bytes");
_Static_assert(offsetof(struct blkif_response, operation) == 8, "blkif_response.operation at 8");
_Static_assert(offsetof(struct blkif_response, status) == 10, "blkif_response.status at 10");
_Static_assert(sizeof(union blkif_sring_entry) == 112, "a blkif ring entry is 112 bytes");
_Static_assert(offsetof(struct blkif_sring, req_event) == 4, "blkif_sring.req_event at 4");
_Static_assert(offsetof(struct blkif_sring, rsp_prod) == 8, "blkif_sring.rsp_prod at 8");
_Static_assert(offsetof(struct blkif_sring, rsp_event) == 12, "blkif_sring.rsp_event at 12");
_Static_assert(offsetof(struct blkif_sring, ring) == BLKIF_SRING_HEADER_SIZE, "blkif_sring.ring at 64");
_Static_assert(BLKIF_RING_ENTRIES_ONE_PAGE * sizeof(union blkif_sring_entry) <= 4096 - BLKIF_SRING_HEADER_SIZE
               && 2 * BLKIF_RING_ENTRIES_ONE_PAGE * sizeof(union blkif_sring_entry) > 4096 - BLKIF_SRING_HEADER_SIZE,
               "a one-page blkif ring holds 32 entries, the largest power of two that fits");
_Static_assert(BLKIF_MAX_SEGMENTS_PER_REQUEST * 4096 / BLKIF_SECTOR_SIZE == 88, "at most 88 sectors a request");
_Static_assert(XenbusStateClosed == 6 && XenbusStateReconfigured == 8, "XenbusState numbers");
