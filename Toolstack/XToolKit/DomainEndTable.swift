/// The table `xtool boot` prints after its summary line: one row per domain
/// the hypervisor reported as ended, in the order it reported them.
///
///     domains:
///       id  name   ended
///       d0  dom0   poweroff
///       d3  gamma  crashed (triple fault)
public enum DomainEndTable {
    /// The table's lines; none when no domain was reported.
    public static func lines(_ ends: [DomainEnd]) -> [String] {
        guard !ends.isEmpty else { return [] }
        let rows = [["id", "name", "ended"]] + ends.map { ["d\($0.id)", $0.name, $0.how] }
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
