/// What dom0 prints about its start of day, a few lines per topic.
enum Dom0Report {
    static func startInfo(_ info: StartInfo) {
        print("dom0: start info at \(hex(info.address, digits: 1)): magic ok, version \(info.version), flags \(hex(UInt64(info.flags.rawValue), digits: 1)) (\(flagNames(info.flags)))")
        if let commandLine = info.commandLine {
            print("dom0: command line \"\(commandLine.string)\"")
        } else {
            print("dom0: no command line")
        }
    }

    static func modules(_ modules: [StartInfoModule]) {
        print("dom0: \(modules.count) boot module(s)")
        for (index, module) in modules.enumerated() {
            let commandLine = module.commandLine.map { ", command line \"\($0.string)\"" } ?? ""
            print("dom0:   module \(index): at \(hex(module.address, digits: 1)), \(module.size) bytes\(commandLine)")
        }
    }

    static func memoryMap(_ entries: [MemoryMapEntry]) {
        print("dom0: memory map, \(entries.count) entries")
        for entry in entries {
            print("dom0:   \(hex(entry.address, digits: 8))-\(hex(entry.lastAddress, digits: 8)) \(entry.typeName) (\(entry.size >> 10) KiB)")
        }
    }

    /// What xen_version says about the hypervisor underneath.
    static func hypervisor() {
        do throws(HypercallFailure) {
            let version = try XenVersion.version()
            let extra = try XenVersion.extraVersion()
            print("dom0: xen_version \(version.major).\(version.minor), extraversion \"\(extra.string)\"")
            print("dom0: capabilities \"\(try XenVersion.capabilities().string)\"")
            let features = try XenVersion.features(submap: 0)
            print("dom0: features submap 0: \(hex(UInt64(features), digits: 8))")
        } catch {
            print("dom0: xen_version failed: \(error.name) (\(error.result))")
        }
    }

    private static func flagNames(_ flags: StartInfoFlags) -> String {
        var names = ""
        if flags.contains(.privileged) { names += "privileged" }
        if flags.contains(.initialDomain) { names += names.isEmpty ? "initial domain" : ", initial domain" }
        return names.isEmpty ? "none" : names
    }
}
