import XCTest
import XenPublic

/// The grant-table structs at Xen's offsets (xen/include/public/grant_table.h,
/// 64-bit): a guest built for Xen reads and writes these bytes, so a field
/// out of place is a silent wrong answer (Linux once read max_nr_frames 0).
final class GrantTableLayoutTests: XCTestCase {
    func testGrantEntryVersion1() {
        XCTAssertEqual(MemoryLayout<grant_entry_v1>.size, 8)
        XCTAssertEqual(MemoryLayout<grant_entry_v1>.offset(of: \grant_entry_v1.domid), 2)
        XCTAssertEqual(MemoryLayout<grant_entry_v1>.offset(of: \grant_entry_v1.frame), 4)
    }

    func testMapAndUnmap() {
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.size, 32)
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.offset(of: \gnttab_map_grant_ref.flags), 8)
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.offset(of: \gnttab_map_grant_ref.ref), 12)
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.offset(of: \gnttab_map_grant_ref.dom), 16)
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.offset(of: \gnttab_map_grant_ref.status), 18)
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.offset(of: \gnttab_map_grant_ref.handle), 20)
        XCTAssertEqual(MemoryLayout<gnttab_map_grant_ref>.offset(of: \gnttab_map_grant_ref.dev_bus_addr), 24)
        XCTAssertEqual(MemoryLayout<gnttab_unmap_grant_ref>.size, 24)
        XCTAssertEqual(MemoryLayout<gnttab_unmap_grant_ref>.offset(of: \gnttab_unmap_grant_ref.dev_bus_addr), 8)
        XCTAssertEqual(MemoryLayout<gnttab_unmap_grant_ref>.offset(of: \gnttab_unmap_grant_ref.handle), 16)
        XCTAssertEqual(MemoryLayout<gnttab_unmap_grant_ref>.offset(of: \gnttab_unmap_grant_ref.status), 20)
    }

    func testTableOps() {
        XCTAssertEqual(MemoryLayout<gnttab_setup_table>.size, 24)
        XCTAssertEqual(MemoryLayout<gnttab_setup_table>.offset(of: \gnttab_setup_table.nr_frames), 4)
        XCTAssertEqual(MemoryLayout<gnttab_setup_table>.offset(of: \gnttab_setup_table.status), 8)
        XCTAssertEqual(MemoryLayout<gnttab_setup_table>.offset(of: \gnttab_setup_table.frame_list), 16)
        XCTAssertEqual(MemoryLayout<gnttab_query_size>.size, 16)
        XCTAssertEqual(MemoryLayout<gnttab_query_size>.offset(of: \gnttab_query_size.dom), 0)
        XCTAssertEqual(MemoryLayout<gnttab_query_size>.offset(of: \gnttab_query_size.nr_frames), 4)
        XCTAssertEqual(MemoryLayout<gnttab_query_size>.offset(of: \gnttab_query_size.max_nr_frames), 8)
        XCTAssertEqual(MemoryLayout<gnttab_query_size>.offset(of: \gnttab_query_size.status), 12)
        XCTAssertEqual(MemoryLayout<gnttab_set_version>.size, 4)
        XCTAssertEqual(MemoryLayout<gnttab_get_version>.size, 8)
        XCTAssertEqual(MemoryLayout<gnttab_get_version>.offset(of: \gnttab_get_version.version), 4)
    }

    func testCopy() {
        XCTAssertEqual(MemoryLayout<gnttab_copy_ptr>.size, 16)
        XCTAssertEqual(MemoryLayout<gnttab_copy_ptr>.offset(of: \gnttab_copy_ptr.domid), 8)
        XCTAssertEqual(MemoryLayout<gnttab_copy_ptr>.offset(of: \gnttab_copy_ptr.offset), 10)
        XCTAssertEqual(MemoryLayout<gnttab_copy>.size, 40)
        XCTAssertEqual(MemoryLayout<gnttab_copy>.offset(of: \gnttab_copy.dest), 16)
        XCTAssertEqual(MemoryLayout<gnttab_copy>.offset(of: \gnttab_copy.len), 32)
        XCTAssertEqual(MemoryLayout<gnttab_copy>.offset(of: \gnttab_copy.flags), 34)
        XCTAssertEqual(MemoryLayout<gnttab_copy>.offset(of: \gnttab_copy.status), 36)
    }

    func testNumbers() {
        XCTAssertEqual([GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_setup_table, GNTTABOP_dump_table,
                        GNTTABOP_transfer, GNTTABOP_copy, GNTTABOP_query_size, GNTTABOP_unmap_and_replace,
                        GNTTABOP_set_version, GNTTABOP_get_status_frames, GNTTABOP_get_version,
                        GNTTABOP_swap_grant_ref, GNTTABOP_cache_flush], Array(0...12))
        XCTAssertEqual([UInt32(GTF_permit_access), GTF_readonly, GTF_reading, GTF_writing], [1, 4, 8, 16])
        XCTAssertEqual([GNTMAP_device_map, GNTMAP_host_map, GNTMAP_readonly, GNTMAP_application_map,
                        GNTMAP_contains_pte], [1, 2, 4, 8, 16])
        XCTAssertEqual([GNTST_general_error, GNTST_bad_gntref, GNTST_bad_handle, GNTST_no_device_space,
                        GNTST_permission_denied, GNTST_bad_copy_arg, GNTST_no_space], [-1, -3, -4, -7, -8, -10, -13])
        XCTAssertEqual(XENMAPSPACE_grant_table, 1)
    }
}
