// swift-tools-version: 6.0
//
// The host side of the project. SwiftPM builds the `xtool` toolstack and runs
// the tests; `xtool build` itself drives swiftc, clang and ld.lld for the
// bare-metal images (the hypervisor and its guests).
import PackageDescription

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

        // The hypervisor's vendor-neutral logic, compiled for the host so the
        // unit tests reach it. The same files are compiled in Embedded mode
        // into the hypervisor image by `xtool build`.
        .target(name: "KernelCore", dependencies: ["XenPublic"], path: "Kernel/Core"),

        // The guest-visible ABI headers (Kernel/Public/include), the same ones
        // the hypervisor and the guests import; its one C file checks the
        // struct layouts at compile time.
        .target(name: "XenPublic", path: "Kernel/Public"),

        .testTarget(name: "KernelCoreTests", dependencies: ["KernelCore", "XenPublic"], path: "Tests/KernelCoreTests"),
        .testTarget(name: "XToolKitTests", dependencies: ["XToolKit"], path: "Tests/XToolKitTests"),
        // Boots the real images under QEMU and Bochs and checks transcripts.
        .testTarget(name: "BootTests", dependencies: ["XToolKit"], path: "Tests/BootTests", exclude: ["Configs"]),
    ]
)
