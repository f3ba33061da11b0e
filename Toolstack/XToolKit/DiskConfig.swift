import Foundation

/// One virtual disk of a domain: xl.cfg's `disk = [ "SPEC", ... ]`, each
/// SPEC in xl's disk syntax (xl-disk-configuration.txt). Dom0's block
/// backend serves the file's blocks to the domain as the virtual device
/// `vdev`; the file reaches dom0 as a disk of the emulated IDE controller
/// (see `ATADiskLayout`).
///
///     disk = [ "../../build/rootfs.img,raw,xvda,rw" ]                  positional: target,format,vdev,access
///     disk = [ "format=raw, vdev=xvdb, access=ro, target=data,1.img" ] keyed: target= last (a path may hold commas)
///
/// As in xl, a value without `=` goes to the first of target, format,
/// vdev, access not given yet, each may be given once, and an empty one
/// takes its default (format raw, access rw); target and vdev are required.
public struct DiskConfig: Sendable, Equatable {
    /// The image file, resolved against the config file's folder.
    public var file: URL
    /// xvda ... xvdp.
    public var vdev: String
    /// Xen's virtual-device number (vbd-interface.txt): 202 << 8 | index << 4.
    public var virtualDevice: Int
    /// access=r|ro: the domain may only read it (dom0 enforces that).
    public var readOnly: Bool
    /// The config line of the `disk` key, for messages.
    public var line: Int

    public init(file: URL, vdev: String, virtualDevice: Int, readOnly: Bool = false, line: Int = 0) {
        self.file = file
        self.vdev = vdev
        self.virtualDevice = virtualDevice
        self.readOnly = readOnly
        self.line = line
    }

    /// The vdev names xtool accepts, xvda to xvdp (Xen's "xvd" major 202,
    /// 16 minors per disk, 16 disks).
    public static let vdevNames = (0..<16).map { "xvd" + String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) }
    /// The block major of xvd disks.
    public static let xvdMajor = 202

    /// The virtual-device number of an xvd name, or nil for any other name.
    public static func virtualDevice(of vdev: String) -> Int? {
        vdevNames.firstIndex(of: vdev).map { xvdMajor << 8 | $0 << 4 }
    }

    /// The emulated disk sector; a disk file is a whole number of them.
    public static let sectorSize = 512

    /// Reads one SPEC (an element of the `disk` list); `folder` is where a
    /// relative target starts. Returns the disk or what is wrong with it.
    public static func parse(_ spec: String, folder: URL, line: Int) -> Result<DiskConfig, DiskSpecError> {
        let positionalKeys = ["target", "format", "vdev", "access"]
        var values: [String: String] = [:]
        var rest = Substring(spec)
        while true {
            let piece: Substring
            if let comma = rest.firstIndex(of: ",") {
                piece = rest[..<comma]
                rest = rest[rest.index(after: comma)...]
            } else {
                piece = rest
                rest = ""
            }
            let word = piece.trimmingCharacters(in: .whitespaces)
            let key: String
            var value: String
            if let equals = word.firstIndex(of: "=") {
                key = String(word[..<equals]).trimmingCharacters(in: .whitespaces)
                value = String(word[word.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
                if key == "target" {
                    // xl: target= takes the rest of the spec, commas and all.
                    let full = spec[piece.startIndex...]
                    value = String(full[full.index(after: full.firstIndex(of: "=")!)...]).trimmingCharacters(in: .whitespaces)
                    rest = ""
                }
                guard positionalKeys.contains(key) else {
                    return .failure(DiskSpecError("\"\(spec)\": unknown key \(key) (known: target, format, vdev, access)"))
                }
                guard values[key] == nil else {
                    return .failure(DiskSpecError("\"\(spec)\" gives \(key) twice"))
                }
            } else {
                guard !word.isEmpty || !rest.isEmpty else { break }
                // xl: a bare value goes to the first positional parameter not
                // given yet (an empty one counts as given: it takes the default).
                guard let next = positionalKeys.first(where: { values[$0] == nil }) else {
                    return .failure(DiskSpecError("\"\(spec)\" has more than target,format,vdev,access: \"\(word)\""))
                }
                key = next
                value = word
            }
            values[key] = value
            if rest.isEmpty { break }
        }
        let target = values["target"]
        let format = values["format"]
        let vdev = values["vdev"]
        let access = values["access"]
        guard let target, !target.isEmpty else {
            return .failure(DiskSpecError("\"\(spec)\" names no target file (target,format,vdev,access)"))
        }
        let chosenFormat = format.flatMap { $0.isEmpty ? nil : $0 } ?? "raw"
        guard chosenFormat == "raw" else {
            return .failure(DiskSpecError("\"\(spec)\": format \(chosenFormat) is not supported: only raw"))
        }
        guard let vdev, !vdev.isEmpty else {
            return .failure(DiskSpecError("\"\(spec)\" names no vdev (xvda to xvdp)"))
        }
        guard let number = virtualDevice(of: vdev) else {
            return .failure(DiskSpecError("\"\(spec)\": vdev \(vdev) is not one of xvda to xvdp"))
        }
        let readOnly: Bool
        switch access.flatMap({ $0.isEmpty ? nil : $0 }) ?? "rw" {
        case "rw", "w": readOnly = false
        case "r", "ro": readOnly = true
        case let other:
            return .failure(DiskSpecError("\"\(spec)\": access \(other) must be rw (or w) or ro (or r)"))
        }
        let file = target.hasPrefix("/") ? URL(fileURLWithPath: target) : folder.appendingPathComponent(target)
        return .success(DiskConfig(file: file.standardizedFileURL, vdev: vdev, virtualDevice: number, readOnly: readOnly, line: line))
    }
}

/// What is wrong with one disk SPEC.
public struct DiskSpecError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
