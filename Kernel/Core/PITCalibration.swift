/// The arithmetic of measuring the TSC and the local APIC timer against the
/// 8254 PIT, the one clock whose rate every PC agrees on (1.193182 MHz).
/// The port I/O is Kernel/Arch/x86_64/TimerCalibration.swift's; this part
/// only sees readings, so host tests can feed it made-up ones.
///
/// PIT channel 2 counts down from 0xFFFF. Each reading latches its count
/// and its OUT pin, with the TSC read just before and just after the latch
/// command and the APIC timer's count read between those two. The count
/// changes only at the PIT's clock edges, so when two readings in a row
/// show different counts, the edge at which the counter took the second
/// count lies between the first reading's "before" and the second's
/// "after": an edge known to within that span.
///
/// Two edges N PIT ticks apart give the TSC rate to within the sum of their
/// spans, whatever happened between them. A host that stops the emulator
/// for a while between the edges changes nothing (both clocks go on); one
/// that stops it inside a reading widens that edge's span, and a wide edge
/// is never used. The first `startCandidates` edges only choose the start:
/// the narrowest of them. Every later edge is a possible end, and the first
/// one known, with the start, to 1/2048 of the window (488 ppm, what Linux's
/// quick PIT calibration asks) ends the measurement. So the window is as
/// short as the readings allow: under 1 ms under QEMU -icount, a few ms
/// under plain QEMU, longer on a loaded host.
///
/// The counter reaching zero (OUT high; it would wrap and count on from
/// 0xFFFF, and the tick count would be off by 65536) ends an attempt: the
/// caller loads the counter again and goes on. The best end seen in any
/// attempt is kept, for a caller that runs out of attempts.
struct PITCalibration {
    static let pitFrequency: UInt64 = 1_193_182
    /// The window must be at least 2^11 times the sum of its edges' spans.
    static let precisionShift: UInt64 = 11
    /// How many edges compete to start the window.
    static let startCandidates = 8

    /// One latch of the counter.
    struct Reading {
        var tscBefore: UInt64
        var tscAfter: UInt64
        /// The latched count of channel 2.
        var count: UInt16
        /// The latched OUT pin: high once the count reached zero.
        var outputHigh: Bool
        /// The APIC timer's current count, read between the two TSC reads.
        var apicCount: UInt32
    }

    /// The instant the counter took `count`, known to lie in
    /// `earliest...latest` (TSC).
    struct Edge {
        var count: UInt16
        var earliest: UInt64
        var latest: UInt64
        var apicCount: UInt32

        var span: UInt64 { latest - earliest }
        var middle: UInt64 { earliest / 2 + latest / 2 }
    }

    struct Rates: Equatable {
        var tscFrequency: UInt64
        var apicTimerFrequency: UInt64
        /// How far off the rates may be, in parts per million: the edges'
        /// spans over the window.
        var uncertaintyPPM: UInt64
    }

    enum Progress: Equatable {
        case measuring
        /// Known to 1/2048 or better.
        case measured(Rates)
        /// The counter ran out: load it again, then go on reading.
        case reloadCounter
    }

    private var previous: Reading?
    private var start: Edge?
    private var edgesSeen = 0
    /// The most precise end found so far, over all attempts.
    private(set) var best: Rates?

    mutating func add(_ reading: Reading) -> Progress {
        guard !reading.outputHigh, reading.tscAfter >= reading.tscBefore else {
            return reading.outputHigh ? endAttempt() : .measuring
        }
        defer { previous = reading }
        guard let previous, reading.count != previous.count else { return .measuring }
        // Counting down; a count above the last one means the counter was
        // loaded again under us (or a reading lied): start over.
        guard reading.count < previous.count else { return endAttempt() }
        let edge = Edge(count: reading.count, earliest: previous.tscBefore, latest: reading.tscAfter,
                        apicCount: reading.apicCount)
        edgesSeen += 1
        if edgesSeen <= Self.startCandidates {
            if start.map({ edge.span < $0.span }) ?? true { start = edge }
            return .measuring
        }
        guard let start, let rates = Self.rates(from: start, to: edge) else { return .measuring }
        if best.map({ rates.uncertaintyPPM < $0.uncertaintyPPM }) ?? true { best = rates }
        let window = edge.middle - start.middle
        return (start.span + edge.span) << Self.precisionShift <= window ? .measured(rates) : .measuring
    }

    /// The rates between two edges; nil if the TSC or the APIC timer did
    /// not move forward between them.
    static func rates(from start: Edge, to end: Edge) -> Rates? {
        guard end.middle > start.middle, start.count > end.count, start.apicCount >= end.apicCount else {
            return nil
        }
        let ticks = UInt64(start.count - end.count)
        let window = end.middle - start.middle
        let apicTicks = UInt64(start.apicCount - end.apicCount)
        let (product, overflow) = window.multipliedReportingOverflow(by: pitFrequency)
        guard !overflow else { return nil }
        return Rates(tscFrequency: product / ticks,
                     apicTimerFrequency: apicTicks * pitFrequency / ticks,
                     uncertaintyPPM: (start.span + end.span) * 1_000_000 / window)
    }

    private mutating func endAttempt() -> Progress {
        previous = nil
        start = nil
        edgesSeen = 0
        return .reloadCounter
    }
}
