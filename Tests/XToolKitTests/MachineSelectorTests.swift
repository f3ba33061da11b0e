import XCTest
@testable import XToolKit

final class MachineSelectorTests: XCTestCase {
    private func cpuinfo(_ flags: String) -> String {
        "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme de pse \(flags) sse2\nbugs\t\t: spectre_v1\n\nprocessor\t: 1\nflags\t\t: fpu\n"
    }

    func testExplicitMachineIsKept() {
        let facts = HostFacts(kvmDeviceExists: false, cpuinfo: nil)
        XCTAssertEqual(MachineSelector.choose(.bochs, facts: facts).machine, .bochs)
        XCTAssertEqual(MachineSelector.choose(.kvm, facts: facts).machine, .kvm)
        XCTAssertEqual(MachineSelector.choose(.qemu, facts: facts).machine, .qemu)
    }

    func testIcountMakesAutoPickQEMU() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("vmx ept"), intelNested: "Y\n")
        let choice = MachineSelector.choose(.auto, facts: facts, needsTCG: true)
        XCTAssertEqual(choice.machine, .qemu)
        XCTAssertEqual(choice.line, "machine: qemu (--icount needs QEMU's TCG)")
        XCTAssertEqual(MachineSelector.choose(.bochs, facts: facts, needsTCG: true).machine, .bochs, "an explicit machine is kept; BootRunner rejects it")
    }

    func testIntelWithNestedPicksKVM() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("vmx ept"), intelNested: "Y\n")
        let choice = MachineSelector.choose(.auto, facts: facts)
        XCTAssertEqual(choice.machine, .kvm)
        XCTAssertTrue(choice.line.hasPrefix("machine: kvm ("))
    }

    func testAMDWithNestedOnePicksKVM() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("svm npt"), amdNested: "1\n")
        XCTAssertEqual(MachineSelector.choose(.auto, facts: facts).machine, .kvm)
    }

    func testMissingDevice() {
        let facts = HostFacts(kvmDeviceExists: false, cpuinfo: cpuinfo("vmx"), intelNested: "Y")
        let choice = MachineSelector.choose(.auto, facts: facts)
        XCTAssertEqual(choice.machine, .qemu)
        XCTAssertTrue(choice.reason.contains("/dev/kvm does not exist"), choice.reason)
    }

    func testUnusableDevice() {
        let facts = HostFacts(kvmDeviceExists: true, kvmDeviceProblem: "Permission denied", cpuinfo: cpuinfo("vmx"), intelNested: "Y")
        let choice = MachineSelector.choose(.auto, facts: facts)
        XCTAssertEqual(choice.machine, .qemu)
        XCTAssertTrue(choice.reason.contains("Permission denied"), choice.reason)
    }

    func testParavirtualKVMWithoutVMXOrSVM() {
        // This machine's case: /dev/kvm opens, but guests see neither vmx nor svm.
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("hypervisor"))
        let choice = MachineSelector.choose(.auto, facts: facts)
        XCTAssertEqual(choice.line, "machine: qemu (no nested virtualization here: /proc/cpuinfo has neither vmx nor svm)")
    }

    func testFlagsAreWholeWords() {
        // "vmx_preemption" style words or "svm_lock" must not count as vmx/svm.
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("vmxfoo svm_lock"), intelNested: "Y", amdNested: "Y")
        XCTAssertEqual(MachineSelector.choose(.auto, facts: facts).machine, .qemu)
    }

    func testNestedOff() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("vmx"), intelNested: "N\n")
        let choice = MachineSelector.choose(.auto, facts: facts)
        XCTAssertEqual(choice.machine, .qemu)
        XCTAssertTrue(choice.reason.contains("kvm_intel's nested parameter is N"), choice.reason)
    }

    func testNestedZeroOnAMD() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("svm"), intelNested: "Y", amdNested: "0")
        XCTAssertEqual(MachineSelector.choose(.auto, facts: facts).machine, .qemu)
    }

    func testModuleNotLoaded() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: cpuinfo("svm"))
        let choice = MachineSelector.choose(.auto, facts: facts)
        XCTAssertEqual(choice.machine, .qemu)
        XCTAssertTrue(choice.reason.contains("kvm_amd is not loaded"), choice.reason)
    }

    func testUnreadableCPUInfo() {
        let facts = HostFacts(kvmDeviceExists: true, cpuinfo: nil, intelNested: "Y")
        XCTAssertEqual(MachineSelector.choose(.auto, facts: facts).machine, .qemu)
    }

    func testDefaultTimeouts() {
        XCTAssertEqual(Machine.qemu.defaultTimeout, 30)
        XCTAssertEqual(Machine.kvm.defaultTimeout, 30)
        XCTAssertEqual(Machine.bochs.defaultTimeout, 180)
    }
}
