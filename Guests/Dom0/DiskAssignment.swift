/// One disk of the machine given to a domain, from the manifest's
/// `disk=POSITION,DEVICE,MODE` (xtool writes it from xl.cfg's `disk =`):
///
/// - POSITION: where the disk sits on the legacy ATA controller, 0 to 3
///   (primary master, primary slave, secondary master, secondary slave);
/// - DEVICE: the Xen virtual-device number the domain sees it as
///   (202 << 8 | index << 4 for xvda, xvdb, ...: 51712 is xvda);
/// - MODE: w (read-write) or r (read-only: blkback refuses writes).
struct DiskAssignment {
    static let positionCount = 4

    var position: Int
    var virtualDevice: UInt32
    var readOnly: Bool

    static func parse(_ value: GuestString) throws(ManifestProblem) -> DiskAssignment {
        let comma = UInt8(ascii: ",")
        guard let (first, afterFirst) = value.split(at: comma), let (second, third) = afterFirst.split(at: comma),
              third.split(at: comma) == nil else {
            throw ManifestProblem("disk=\(value.string): give POSITION,DEVICE,MODE")
        }
        let fields = [first, second, third]
        guard let position = fields[0].decimalValue, position < UInt64(positionCount) else {
            throw ManifestProblem("disk=\(value.string): the position is 0 to \(positionCount - 1)")
        }
        guard let device = fields[1].decimalValue, device > 0, device <= UInt64(UInt32.max) else {
            throw ManifestProblem("disk=\(value.string): the device is a virtual-device number such as 51712")
        }
        let readOnly: Bool
        if fields[2].equals("w") { readOnly = false }
        else if fields[2].equals("r") { readOnly = true }
        else { throw ManifestProblem("disk=\(value.string): the mode is w or r") }
        return DiskAssignment(position: Int(position), virtualDevice: UInt32(device), readOnly: readOnly)
    }
}
