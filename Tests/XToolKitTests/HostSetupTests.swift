import XCTest
@testable import XToolKit

final class HostSetupTests: XCTestCase {
    func testPresentProgramPasses() throws {
        try HostSetup(reporter: .silent, mayInstall: false).ensure([HostRequirement(.program("sh"), packages: ["dash"])])
    }

    func testMissingProgramNamesItsPackages() {
        let missing = HostRequirement(.program("xtool-no-such-emulator"), packages: ["no-such-package", "other-package"])
        XCTAssertThrowsError(try HostSetup(reporter: .silent, mayInstall: false).ensure([missing])) { error in
            guard case XToolError.hostToolMissing(let name, let packages, _) = error else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(name, "xtool-no-such-emulator")
            XCTAssertEqual(packages, ["no-such-package", "other-package"])
            XCTAssertEqual((error as? XToolError)?.exitCode, .couldNotBuildOrStart)
        }
    }

    func testMissingFileIsDetected() {
        XCTAssertNil(HostRequirement(.file("/no/such/bios.bin"), packages: ["bochsbios"]).locate())
    }

    func testEveryRequirementNamesAPackage() {
        for requirement in HostRequirement.qemu + HostRequirement.bochs + HostRequirement.rootFileSystem {
            XCTAssertFalse(requirement.packages.isEmpty, requirement.name)
        }
        let bochsPackages = Set(HostRequirement.bochs.flatMap(\.packages))
        XCTAssertEqual(bochsPackages, ["bochs", "bochsbios", "vgabios", "bochs-sdl", "grub-common", "grub-pc-bin", "xorriso", "mtools"])
    }
}
