/// Every flag of the bare-metal build, in one place so the kernel side can
/// change them without reading the build logic.
public enum BuildFlags {
    /// clang, for *.S and *.c. No red zone: interrupts and VM exits land on the
    /// current stack. No PIC: the images are linked at fixed addresses.
    public static let clangCommon = [
        "--target=x86_64-unknown-none-elf",
        "-ffreestanding",
        "-fno-stack-protector",
        "-mno-red-zone",
        "-fno-pic",
    ]

    /// Added for *.c only.
    public static let clangC = ["-O2", "-Wall"]

    /// swiftc in Embedded mode, whole module, one object out.
    /// -function-sections pairs with the linker's --gc-sections: without it even a
    /// tiny kernel drags in runtime symbols (posix_memalign) it never calls.
    public static let swiftc = [
        "-target", "x86_64-unknown-none-elf",
        "-enable-experimental-feature", "Embedded",
        "-wmo",
        "-parse-as-library",
        "-Osize",
        "-Xcc", "-ffreestanding",
        "-Xcc", "-mno-red-zone",
        "-Xfrontend", "-disable-stack-protector",
        "-Xfrontend", "-function-sections",
    ]

    /// ld.lld, before `-T <script> -o <output> <objects>`. Add `--entry=...` here
    /// if the kernel ever needs an entry other than the script's ENTRY().
    public static let linker = [
        "-nostdlib",
        "-static",
        "-z", "max-page-size=0x1000",
        "--gc-sections",
    ]

    /// Include folders (relative to the project root), passed as -I when they exist.
    public static let hypervisorIncludes = ["Kernel/Support/include", "Kernel/Public/include"]
    public static let guestIncludes = ["Guests/GuestKit/include", "Kernel/Public/include"]

    /// Hypervisor files compiled into every guest as well: pure logic both
    /// sides need (the PVH ELF parser: the hypervisor loads dom0 with it,
    /// dom0's builder loads domUs; `hex` and the exception vectors' names,
    /// so that both sides print alike; the heap allocator, which GuestKit's
    /// GuestHeap runs behind posix_memalign and free as the hypervisor's
    /// RuntimeAllocator does). Unused code is dropped by --gc-sections.
    public static let guestSharedSwiftSources = [
        "Kernel/Core/ElfImage.swift",
        "Kernel/Core/Hex.swift",
        "Kernel/Core/HeapAllocator.swift",
        "Kernel/Core/HeapAllocator+Blocks.swift",
        "Kernel/Core/HeapAllocator+Consistency.swift",
        "Kernel/Core/HeapAllocator+FreeList.swift",
        "Kernel/Core/HeapBlock.swift",
        "Kernel/Core/HeapFreeResult.swift",
        "Kernel/Arch/x86_64/ExceptionVector.swift",
        // What dom0 needs to give a domU the memory map and ACPI tables
        // the hypervisor gives dom0 (Guests/Dom0/StartInfoPage.swift).
        "Kernel/Core/ACPITables.swift",
        "Kernel/Core/ACPITableHeader.swift",
        "Kernel/Core/LocalAPICBase.swift",
        "Kernel/Core/LocalAPICID.swift",
        "Kernel/Core/DomainMemoryMap.swift",
        "Kernel/Core/MemoryRange.swift",
    ]

    /// Linker scripts, relative to the project root.
    public static let hypervisorLinkerScript = "Linker/hypervisor.ld"
    public static let guestLinkerScript = "Linker/guest.ld"

    /// Files in include folders that count as inputs of every compile step.
    public static let headerExtensions = ["h", "modulemap", "inc"]
}
