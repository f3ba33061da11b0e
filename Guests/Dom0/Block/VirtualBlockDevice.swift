/// A vbd's number as the frontend sees it (xenstore's virtual-device), in
/// Xen's encoding for xvd disks: major 202, then 4 bits of disk and 4 of
/// partition (xvda = 202 << 8 = 51712, xvdb = 51728, xvda1 = 51713). Also
/// where the vbd's two directories are, as libxl lays them out.
struct VirtualBlockDevice: Equatable {
    static let xvdMajor: UInt32 = 202

    let number: UInt32

    /// Nil for a number outside the xvd encoding (other majors, and the
    /// extended 1 << 28 form, are not offered).
    init?(number: UInt32) {
        guard number >> 8 == Self.xvdMajor else { return nil }
        self.number = number
    }

    /// "xvda", "xvdb", "xvda1": what libxl writes in the backend's dev node.
    var name: String {
        let disk = UInt8(number >> 4 & 0xF)
        let partition = number & 0xF
        let letter = String(decoding: [UInt8(ascii: "a") + disk], as: UTF8.self)
        return "xvd" + letter + (partition == 0 ? "" : "\(partition)")
    }

    /// The frontend's directory, in the domain's home (it owns it).
    func frontendPath(of domain: UInt16) -> String {
        "/local/domain/\(domain)/device/vbd/\(number)"
    }

    /// The backend's directory, in the backend domain's home.
    func backendPath(of domain: UInt16, backend: UInt16 = 0) -> String {
        "/local/domain/\(backend)/backend/vbd/\(domain)/\(number)"
    }
}
