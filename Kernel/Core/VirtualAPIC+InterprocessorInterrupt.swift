/// IPIs: a write to the ICR sends one (Intel SDM Vol. 3A, 10.6.1, figure
/// 10-12; in x2APIC mode one 64-bit WRMSR, with a 32-bit destination,
/// 10.12.9), and so does a write to the SELF IPI register (10.12.11).
///
/// A domain has one vCPU, and this APIC knows no other: an IPI is delivered
/// when this vCPU is among its destinations and its delivery mode is fixed
/// (or lowest-priority, which with one candidate is the same). Everything
/// else (another APIC ID, "all excluding self", NMI, INIT, SIPI, SMI) is
/// not delivered: it is counted in `ignoredInterprocessorInterrupts` and
/// logged at loglvl=debug. A broadcast reaches this vCPU only.
extension VirtualAPIC {
    /// The ICR's fields.
    enum InterruptCommand {
        static let vectorBits: UInt64 = 0xFF
        static let deliveryModeShift: UInt64 = 8                // bits 10:8
        static let logicalDestinationMode: UInt64 = 1 << 11
        static let levelAssert: UInt64 = 1 << 14
        static let levelTriggered: UInt64 = 1 << 15
        static let shorthandShift: UInt64 = 18                  // bits 19:18
        static let destinationShift: UInt64 = 32                // bits 63:32

        /// What a WRMSR to the ICR may set in bits 31:0; the rest is
        /// reserved (#GP, 10.12.1.3), the delivery status bit (12) too: in
        /// x2APIC mode it no longer exists (10.12.9).
        static let writableLowBits: UInt64 = vectorBits | 0x7 << deliveryModeShift | logicalDestinationMode
            | levelAssert | levelTriggered | 0b11 << shorthandShift

        // Delivery modes.
        static let fixed: UInt64 = 0
        static let lowestPriority: UInt64 = 1

        // Destination shorthands.
        static let noShorthand: UInt64 = 0
        static let toSelf: UInt64 = 1
        static let allIncludingSelf: UInt64 = 2
        static let allExcludingSelf: UInt64 = 3

        /// Every APIC, as a physical or a logical destination.
        static let broadcast: UInt32 = 0xFFFF_FFFF
    }

    /// Sends the IPI `command` describes (checked already: no reserved bit).
    func sendInterprocessorInterrupt(_ command: UInt64) {
        interruptCommand = command
        let vector = UInt8(command & InterruptCommand.vectorBits)
        let deliveryMode = (command >> InterruptCommand.deliveryModeShift) & 0x7
        guard deliveryMode == InterruptCommand.fixed || deliveryMode == InterruptCommand.lowestPriority,
              isDestination(of: command) else {
            ignoredInterprocessorInterrupts += 1
            if Log.threshold >= .debug {
                Log.debug("APIC ID \(id): IPI \(hex(command)) not delivered (only fixed IPIs to this vCPU are)")
            }
            return
        }
        // Vectors 0-15 are not sent; the sender's ESR says so (10.5.3).
        guard vector >= 16 else { return recordError(ErrorStatus.sendIllegalVector) }
        // A software-disabled APIC accepts no fixed interrupt from the bus,
        // as in Xen's vlapic.
        guard isSoftwareEnabled else { return }
        requestInterrupt(vector: vector)
    }

    /// A write to the SELF IPI register: a fixed IPI to this vCPU.
    func sendSelfInterprocessorInterrupt(vector: UInt8) {
        sendInterprocessorInterrupt(UInt64(vector) | InterruptCommand.toSelf << InterruptCommand.shorthandShift)
    }

    /// Whether this vCPU is one of the IPI's destinations (10.6.2): named by
    /// the shorthand, or by its physical x2APIC ID, or in logical mode by
    /// its cluster and bit (10.12.10.2), or by the broadcast ID.
    func isDestination(of command: UInt64) -> Bool {
        let destination = UInt32(truncatingIfNeeded: command >> InterruptCommand.destinationShift)
        switch (command >> InterruptCommand.shorthandShift) & 0b11 {
        case InterruptCommand.toSelf, InterruptCommand.allIncludingSelf:
            return true
        case InterruptCommand.allExcludingSelf:
            return false
        default:
            if destination == InterruptCommand.broadcast { return true }
            guard command & InterruptCommand.logicalDestinationMode != 0 else { return destination == id }
            return destination >> 16 == logicalDestination >> 16 && destination & logicalDestination & 0xFFFF != 0
        }
    }
}
