/// The course labs: each one's title, its text under Docs/labs, and its
/// checks. The code each lab asks for is marked in the real sources
/// (LabMarkers); this is the one list that says which tests judge it.
public struct Lab: Sendable, Equatable {
    public var number: Int
    public var title: String
    /// Relative to the project root.
    public var textFile: String
    public var checks: [LabCheck]
}

/// One graded check: an XCTest filter (`swift test --filter`), run as its
/// own process so a stub's fatalError fails this check and no other.
public struct LabCheck: Sendable, Equatable {
    /// `Target.Class/testMethod` or `Target.Class`, as `--filter` takes it.
    public var filter: String

    public init(_ filter: String) { self.filter = filter }

    /// The name printed with the score: the filter without its test target.
    public var name: String {
        filter.split(separator: ".", maxSplits: 1).last.map(String.init) ?? filter
    }
}

public enum LabCatalog {
    public static let labs: [Lab] = [
        Lab(number: 1, title: "Boot: the multiboot memory map and the frame allocator",
            textFile: "Docs/labs/lab1-boot.md",
            checks: core("FrameAllocatorTests", [
                "testTypicalMapWithHypervisorImageReserved",
                "testNothingBelowOneMebibyteAndNeverFrameZero",
                "testReservedEntryWinsOverAvailableInAnyOrder",
                "testEveryNonAvailableKindIsExcluded",
                "testTouchingUnalignedPiecesStillFormWholeFrames",
                "testUnalignedReservedRangesCostTheirWholeFrames",
                "testHostileEntriesAreClippedToTheAddressLimit",
            ])),
        Lab(number: 2, title: "The first hypercall: console_io and the checked copy from guest memory",
            textFile: "Docs/labs/lab2-first-hypercall.md",
            checks: core("ConsoleIOHypercallTests", [
                "testWriteCollectsALine",
                "testBadPointer",
                "testFaultInALaterChunkKeepsTheEarlierOnes",
                "testTooLongIsEINVAL",
            ]) + core("GuestMemoryLongModeTests", [
                "testRoundTripAcrossAPageBoundary",
                "testWriteIntoUnmappedPageCopiesNothing",
                "testWriteIntoReadOnlyPageCopiesNothing",
            ])),
        Lab(number: 3, title: "VM exits: CPUID filtering and the MSR read policy, what a guest may see",
            textFile: "Docs/labs/lab3-vm-exits.md",
            checks: core("CPUIDPolicyTests", [
                "testOtherLeavesPassThrough",
                "testLeafOneHidesWhatIsNotVirtualized",
                "testLeafOneAddsTheHypervisorBitAndTheVirtualAPIC",
                "testMSRBackedLeavesAreEmptyOrFiltered",
                "testFeaturesWithRefusedControlRegister4BitsAreHidden",
                "testWholeHypervisorRangeIsOurs",
            ]) + core("VMExitHandlerMSRTests", [
                "testPATReadsBackWhatWasWritten",
                "testMiscEnableIsFixed",
                "testHypercallMSRReadsBackThePage",
                "testUnknownMSRsAreGP",
                "testEFERReadsTheGuestsViewAndTakesItsOwnBits",
            ])),
        Lab(number: 4, title: "Nested paging: a domain's memory map, frames given back, and a fault outside it",
            textFile: "Docs/labs/lab4-nested-paging.md",
            checks: core("NestedPageTableTests", [
                "testMapTranslateUnmapForBothFormats",
                "testUnmapFreesTheTablesItLeavesEmptyButNeverTheRoot",
                "testOutOfMemory",
            ]) + core("MemoryReservationTests", [
                "testDecreaseReturnsFramesAndAsksForAFlush",
            ]) + core("UnbackedAccessTests", [
                "testFrameGivenBackReadsAllOnes",
                "testInstructionFetchFromTheHoleCrashes",
                "testGuestPageTableWalkIntoTheHoleCrashes",
                "testEventDeliveryIntoTheHoleCrashes",
            ])),
        Lab(number: 5, title: "Event channels: 2-level pending and mask bits, and the upcall",
            textFile: "Docs/labs/lab5-event-channels.md",
            checks: core("EventDeliveryTests", [
                "testAnEventSetsThePortTheSelectorAndTheUpcall",
                "testAPortAlreadyPendingTellsNobodyAgain",
                "testASelectorBitAlreadySetStopsBeforeTheUpcall",
                "testAMaskedPortStaysPendingUntilUnmasked",
                "testUnmaskingAPortThatIsNotPendingOnlyClearsTheMask",
            ]) + core("UpcallDeliveryTests", [
                "testTheVectorIsOwedWhileUpcallPendingIsSet",
                "testTheUpcallGoesBeforeAnAPICVector",
            ])),
        Lab(number: 6, title: "Grant tables: map, unmap and copy, with their checks",
            textFile: "Docs/labs/lab6-grant-tables.md",
            checks: core("GrantTableOpHypercallTests", [
                "testMapShowsTheGrantedFrameAndMarksTheEntry",
                "testEntryChecksGiveXensStatus",
                "testReadOnlyGrantsAndMappings",
                "testUnmapChecksTheHandleAndTheAddress",
                "testCopyBetweenAGrantAndTheCallersFrame",
                "testCopyChecksGiveXensStatus",
            ])),
        Lab(number: 7, title: "Scheduling: a credit scheduler",
            textFile: "Docs/labs/lab7-scheduling.md",
            checks: core("SchedulerTests", [
                "testWeightsGiveProportionalShares",
                "testEqualWeightsTakeTurnsSliceBySlice",
                "testAHeavyWeightDoesNotStarveALightOne",
                "testCreditStaysWithinOnePeriod",
                "testPausedAndFinishedDomainsEarnNoCredit",
                "testASpinnerCannotDelayASleeper",
            ])),
        Lab(number: 8, title: "Research: a hypercall against a system call",
            textFile: "Docs/labs/lab8-research.md",
            checks: tests("XToolKitTests", "CallCostComparisonTests", [
                "testMedianOfAnOddCount",
                "testMedianOfAnEvenCount",
                "testMedianOfNothingIsNil",
                "testRatioOfMedians",
            ])),
    ]

    public static var knownLabs: ClosedRange<Int> { 1...labs.count }

    public static func lab(_ number: Int) -> Lab? {
        labs.first { $0.number == number }
    }

    private static func core(_ testClass: String, _ methods: [String]) -> [LabCheck] {
        tests("KernelCoreTests", testClass, methods)
    }

    private static func tests(_ target: String, _ testClass: String, _ methods: [String]) -> [LabCheck] {
        methods.map { LabCheck("\(target).\(testClass)/\($0)") }
    }
}
