// swift-tools-version: 6.0
//
// The host side of the project. SwiftPM builds the `xtool` toolstack and runs
// the tests; `xtool build` itself drives swiftc, clang and ld.lld for the
// bare-metal images (the hypervisor and its guests).
import Foundation
import PackageDescription

/// The Kernel/Arch files the host compiles into KernelCore (see there), under
/// Kernel/Arch/x86_64. Tested by Tests/KernelArchTests.
let hostArchSources = [
    "HypervisorMemory.swift",               // allocateZeroed, physicalAddress
    "SVM/SVMEventInjection.swift",          // EVENTINJ encoding
    "SVM/SVMExitDecoder.swift",             // EXITCODE/EXITINFO -> VMExit (the VMCB is plain memory)
    "SVM/SVMPermissionMaps.swift",          // I/O and MSR permission maps
    "SVM/VMCB.swift",                       // VMCB offsets (APM B-1, B-2)
    "VMX/VMCSField.swift",                  // VMCS field encodings (SDM B)
    "VMX/VMCSReader.swift",                 // the decoder's seam: VMREAD, or a test's table
    "VMX/VMXCapabilities.swift",            // capability values (read() stays in +Read)
    "VMX/VMXControlCapability.swift",       // allowed-0/allowed-1 settling
    "VMX/VMXControlRegisters.swift",        // CR0/CR4 guest/host masks
    "VMX/VMXControls.swift",                // the PVH guest's control fields
    "VMX/VMXEPTPointer.swift",              // EPTP format
    "VMX/VMXExitDecoder.swift",             // exit reason + qualification -> VMExit
    "VMX/VMXExitReason.swift",              // basic exit reason numbers and names
    "VMX/VMXMSRBitmap.swift",               // MSR bitmap layout
]

/// Every other file under Kernel/Arch, relative to Kernel/: KernelCore
/// excludes them (they need the hardware), so SwiftPM neither compiles them
/// nor warns that they belong to no target.
func archFilesNotOnHost() -> [String] {
    let arch = Context.packageDirectory + "/Kernel/Arch"
    let listed = Set(hostArchSources.map { "x86_64/" + $0 })
    let files = FileManager.default.subpaths(atPath: arch) ?? []
    return files.sorted().filter { path in
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: arch + "/" + path, isDirectory: &isFolder)
        return !isFolder.boolValue && !listed.contains(path)
    }.map { "Arch/" + $0 }
}

let package = Package(
    name: "xtool",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xtool", targets: ["xtool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Thin command-line front end: parses arguments, calls XToolKit.
        .executableTarget(
            name: "xtool",
            dependencies: [
                "XToolKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Toolstack/xtool"
        ),
        // Everything xtool does: build graph, image assembly, emulator
        // command lines, console streaming, exit-status decoding.
        .target(name: "XToolKit", path: "Toolstack/XToolKit"),

        // The hypervisor's logic that runs without the hardware, compiled for
        // the host so the unit tests reach it. The same files are compiled in
        // Embedded mode into the hypervisor image by `xtool build`, as one
        // module: so they share one host module here too (Swift's `internal`
        // reaches across them, as it does in the image).
        //
        // - Kernel/Core: all of it (vendor-neutral, no inline asm).
        // - Kernel/Arch: only the files listed in `hostArchSources`: pure
        //   logic that turns numbers into numbers (exit decoders, VMCS field
        //   encodings, VMCB offsets, control settling, MSR bitmaps). The rule
        //   for a file in that list: no `import Support` (no intrinsics, no
        //   inline asm) and no use of an Arch type outside the list. Code
        //   that touches the hardware (VMREAD, RDMSR, VMRUN, port I/O) stays
        //   in the other Arch files and reaches the listed ones through a
        //   seam, such as `VMCSReader` for the VMX exit decoder.
        .target(
            name: "KernelCore",
            dependencies: ["XenPublic"],
            path: "Kernel",
            exclude: ["Main", "Support", "Public"] + archFilesNotOnHost(),
            sources: ["Core"] + hostArchSources.map { "Arch/x86_64/" + $0 }
        ),

        // The guest-visible ABI headers (Kernel/Public/include), the same ones
        // the hypervisor and the guests import; its one C file checks the
        // struct layouts at compile time.
        .target(name: "XenPublic", path: "Kernel/Public"),

        // Dom0's XenStore daemon core (Guests/Dom0/Store): pure Swift, no
        // GuestKit, so it compiles here as well as into dom0.elf, and the
        // host tests drive it the way a guest would, through a ring page.
        .target(name: "XenStore", dependencies: ["XenPublic"], path: "Guests/Dom0/Store"),
        // Dom0's block backend core (Guests/Dom0/Block): the blkif ring,
        // request checking and the xenbus handshake, pure Swift like the
        // store; the disk and grant copies come in through class seams.
        .target(name: "BlockBackend", dependencies: ["XenPublic"], path: "Guests/Dom0/Block"),

        .testTarget(name: "KernelCoreTests", dependencies: ["KernelCore", "XenPublic"], path: "Tests/KernelCoreTests"),
        // The Kernel/Arch files KernelCore compiles (hostArchSources), with
        // fakes for the VMCS and the VMCB.
        .testTarget(name: "KernelArchTests", dependencies: ["KernelCore"], path: "Tests/KernelArchTests"),
        .testTarget(name: "XenStoreTests", dependencies: ["XenStore", "XenPublic"], path: "Tests/XenStoreTests"),
        .testTarget(name: "BlockBackendTests", dependencies: ["BlockBackend", "XenPublic"], path: "Tests/BlockBackendTests"),
        .testTarget(name: "XToolKitTests", dependencies: ["XToolKit"], path: "Tests/XToolKitTests"),
        // Hands out every course lab in a copy and runs its checks there
        // (Docs/labs/README.md): slow, so not among the host tests above.
        .testTarget(name: "LabTests", dependencies: ["XToolKit"], path: "Tests/LabTests"),
        // Boots the real images under QEMU and Bochs and checks transcripts.
        .testTarget(name: "BootTests", dependencies: ["XToolKit"], path: "Tests/BootTests", exclude: ["Configs"]),
    ]
)
