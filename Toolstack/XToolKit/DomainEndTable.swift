/// The table `xtool boot` prints after its summary line: one row per domain
/// the hypervisor reported as ended, in the order it reported them, then
/// one per configured domain that never ran (`UnbuiltDomain`).
///
///     domains:
///       id  name   ended
///       d0  dom0   poweroff
///       d2  beta   not built (populate_physmap failed: ENOMEM (-12))
///       d3  gamma  crashed (triple fault)
///       -   delta  not built (module 2: not a PVH kernel: no ELF magic)
///
/// A domain dom0 created but could not finish building is destroyed again;
/// its row shows why it was not built rather than just "destroyed".
public enum DomainEndTable {
    /// The table's lines; none when there is no row.
    public static func lines(_ ends: [DomainEnd], unbuilt: [UnbuiltDomain] = []) -> [String] {
        let endRows = ends.map { end in
            let notBuilt = unbuilt.first { $0.id == end.id && $0.name == end.name }
            return ["d\(end.id)", end.name, notBuilt?.ended ?? end.how]
        }
        let neverCreatedRows = unbuilt.filter { $0.id == nil }.map { ["-", $0.name, $0.ended] }
        guard !endRows.isEmpty || !neverCreatedRows.isEmpty else { return [] }
        let rows = [["id", "name", "ended"]] + endRows + neverCreatedRows
        let idWidth = rows.map { $0[0].count }.max() ?? 0
        let nameWidth = rows.map { $0[1].count }.max() ?? 0
        let body = rows.map { row in
            "  " + padded(row[0], idWidth) + "  " + padded(row[1], nameWidth) + "  " + row[2]
        }
        return ["domains:"] + body
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
