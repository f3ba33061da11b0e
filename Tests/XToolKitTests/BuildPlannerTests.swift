import XCTest
@testable import XToolKit

final class BuildPlannerTests: XCTestCase {
    private let toolchain = Toolchain(
        swiftc: URL(fileURLWithPath: "/tc/swiftc"), clang: URL(fileURLWithPath: "/tc/clang"), lld: URL(fileURLWithPath: "/tc/ld.lld")
    )

    private func makeProject() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("Package.swift")
        try folder.write("Linker/hypervisor.ld")
        try folder.write("Linker/guest.ld")
        try folder.write("Kernel/Arch/x86_64/boot.S")
        try folder.write("Kernel/Arch/x86_64/VMX/entry.S")
        try folder.write("Kernel/Arch/x86_64/Serial.swift")
        try folder.write("Kernel/Support/Runtime.c")
        try folder.write("Kernel/Support/include/Support.h")
        try folder.write("Kernel/Support/include/module.modulemap")
        try folder.write("Kernel/Core/Domain.swift")
        try folder.write("Kernel/Main/Main.swift")
        try folder.write("Kernel/Core/Notes.md")
        return folder
    }

    func testHypervisorSteps() throws {
        let project = try makeProject()
        let planner = BuildPlanner(root: project.url, toolchain: toolchain)
        let recipe = try planner.hypervisor()
        XCTAssertEqual(recipe.name, "hypervisor.elf")
        XCTAssertEqual(recipe.steps.map(\.summary), [
            "compile Kernel/Arch/x86_64/VMX/entry.S",
            "compile Kernel/Arch/x86_64/boot.S",
            "compile Kernel/Support/Runtime.c",
            "compile Hypervisor (3 Swift files)",
            "link build/hypervisor.elf",
        ])
        let swift = recipe.compileSteps[3]
        XCTAssertEqual(swift.tool, toolchain.swiftc)
        XCTAssertEqual(swift.arguments.suffix(8), [
            "-I", "Kernel/Support/include", "-c",
            "Kernel/Arch/x86_64/Serial.swift", "Kernel/Core/Domain.swift", "Kernel/Main/Main.swift",
            "-o", "build/obj/kernel/swift.o",
        ])
        XCTAssertFalse(swift.arguments.contains("Kernel/Public/include"), "a missing include folder is not passed")
        XCTAssertTrue(swift.arguments.contains("Embedded"))
        XCTAssertTrue(swift.inputs.contains { $0.lastPathComponent == "module.modulemap" }, "module maps are inputs")

        let c = recipe.compileSteps[2]
        XCTAssertEqual(c.arguments, BuildFlags.clangCommon + ["-O2", "-Wall", "-I", "Kernel/Support/include",
                                                              "-c", "Kernel/Support/Runtime.c", "-o", "build/obj/kernel/Kernel_Support_Runtime.c.o"])

        let link = recipe.linkStep
        XCTAssertEqual(link.tool, toolchain.lld)
        XCTAssertEqual(Array(link.arguments.prefix(9)), BuildFlags.linker + ["-T", "Linker/hypervisor.ld", "-o", "build/hypervisor.elf"])
        XCTAssertEqual(link.arguments.count, 9 + 4, "four objects")
        XCTAssertTrue(link.inputs.contains { $0.lastPathComponent == "hypervisor.ld" }, "the linker script is an input")
    }

    func testObjectNamesAreUnique() {
        var namer = ObjectNamer()
        XCTAssertEqual(namer.name(for: "Kernel/Arch/x86_64/boot.S"), "Kernel_Arch_x86_64_boot.S.o")
        XCTAssertEqual(namer.name(for: "Kernel/Arch_x86_64/boot.S"), "Kernel_Arch_x86_64_boot.S.2.o")
    }

    func testNoGuestsIsFine() throws {
        let project = try makeProject()
        XCTAssertEqual(try BuildPlanner(root: project.url, toolchain: toolchain).guests(), [])
    }

    func testGuestsDom0FirstWithGuestKit() throws {
        let project = try makeProject()
        try project.write("Guests/GuestKit/Hypercall.swift")
        try project.write("Guests/GuestKit/entry.S")
        try project.write("Guests/Alpha/Main.swift")
        try project.write("Guests/Dom0/Main.swift")
        try project.write("Guests/Empty/README.md")
        let guests = try BuildPlanner(root: project.url, toolchain: toolchain).guests()
        XCTAssertEqual(guests.map(\.name), ["dom0.elf", "alpha.elf"])
        let dom0 = guests[0]
        XCTAssertEqual(dom0.output.path, project.url.standardizedFileURL.appendingPathComponent("build/guests/dom0.elf").path)
        let swift = try XCTUnwrap(dom0.compileSteps.first { $0.tool == toolchain.swiftc })
        XCTAssertTrue(swift.arguments.contains("Guests/GuestKit/Hypercall.swift"))
        XCTAssertTrue(swift.arguments.contains("Guests/Dom0/Main.swift"))
        XCTAssertEqual(swift.arguments[swift.arguments.firstIndex(of: "-module-name")! + 1], "Dom0")
        XCTAssertTrue(dom0.linkStep.arguments.contains("Linker/guest.ld"))
        XCTAssertTrue(dom0.compileSteps.contains { $0.summary == "compile Guests/GuestKit/entry.S" })
    }

    func testMissingLinkerScriptIsAClearError() throws {
        let project = try makeProject()
        try FileManager.default.removeItem(at: project.url.appendingPathComponent("Linker/hypervisor.ld"))
        XCTAssertThrowsError(try BuildPlanner(root: project.url, toolchain: toolchain).hypervisor()) { error in
            XCTAssertTrue("\(error)".contains("Linker/hypervisor.ld"), "\(error)")
        }
    }

    func testDom0FirstOrdering() {
        XCTAssertEqual(BuildPlanner.dom0First(["ping.elf", "dom0.elf", "alpha.elf"]) { $0 }, ["dom0.elf", "alpha.elf", "ping.elf"])
        XCTAssertEqual(BuildPlanner.dom0First(["b", "a"]) { $0 }, ["a", "b"])
        XCTAssertEqual(BuildPlanner.dom0First(["dom0x", "Dom0"]) { $0 }, ["Dom0", "dom0x"])
    }
}
