import Foundation

/// What the host says about its virtualization support. A plain value, so the
/// machine selection can be tested with made-up hosts.
public struct HostFacts: Sendable, Equatable {
    /// Does /dev/kvm exist?
    public var kvmDeviceExists: Bool
    /// Why /dev/kvm could not be opened for reading and writing, nil if it could.
    public var kvmDeviceProblem: String?
    /// The contents of /proc/cpuinfo (nil if unreadable).
    public var cpuinfo: String?
    /// Contents of /sys/module/kvm_intel/parameters/nested (nil if absent).
    public var intelNested: String?
    /// Contents of /sys/module/kvm_amd/parameters/nested (nil if absent).
    public var amdNested: String?

    public init(kvmDeviceExists: Bool, kvmDeviceProblem: String? = nil, cpuinfo: String?, intelNested: String? = nil, amdNested: String? = nil) {
        self.kvmDeviceExists = kvmDeviceExists
        self.kvmDeviceProblem = kvmDeviceProblem
        self.cpuinfo = cpuinfo
        self.intelNested = intelNested
        self.amdNested = amdNested
    }

    /// Reads the real host.
    public static func read() -> HostFacts {
        let device = "/dev/kvm"
        let exists = FileManager.default.fileExists(atPath: device)
        var problem: String?
        if exists {
            let descriptor = open(device, O_RDWR | O_CLOEXEC)
            if descriptor < 0 {
                problem = String(cString: strerror(errno))
            } else {
                close(descriptor)
            }
        }
        func contents(_ path: String) -> String? {
            try? String(contentsOfFile: path, encoding: .utf8)
        }
        return HostFacts(
            kvmDeviceExists: exists,
            kvmDeviceProblem: problem,
            cpuinfo: contents("/proc/cpuinfo"),
            intelNested: contents("/sys/module/kvm_intel/parameters/nested"),
            amdNested: contents("/sys/module/kvm_amd/parameters/nested")
        )
    }

    /// The words of the first "flags" line of /proc/cpuinfo.
    public var cpuFlags: Set<String> {
        guard let cpuinfo else { return [] }
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "flags" {
                return Set(parts[1].split(separator: " ").map(String.init))
            }
        }
        return []
    }
}

extension HostFacts {
    /// Stands in when the machine was named explicitly and nothing needs probing.
    static let notProbed = HostFacts(kvmDeviceExists: false, cpuinfo: nil)
}
