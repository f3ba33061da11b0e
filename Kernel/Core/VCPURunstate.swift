import XenPublic

/// What a vCPU has been doing, Xen's "runstate" (struct vcpu_runstate_info):
/// its state since when, and the time it spent in each state. The scheduler
/// changes the state when a slice starts and ends; a guest that registered
/// an area (VCPUOP_register_runstate_memory_area) gets a copy each time
/// (Domain+Runstate.swift). Linux needs it for its Xen clock: it BUG()s if
/// the registration fails, and computes steal time from it.
struct VCPURunstate {
    enum State: Int32 {
        case running = 0, runnable = 1, blocked = 2, offline = 3    // RUNSTATE_*
    }

    private(set) var state = State.offline
    private(set) var stateEntryTime: UInt64 = 0
    /// ns in each state, by State's raw value.
    private(set) var time: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The guest-virtual address of the guest's copy, if it asked for one.
    var area: UInt64? = nil

    /// Enters `new` at `now`: the time since the last change goes to the
    /// state being left. A clock that went backwards adds nothing.
    mutating func change(to new: State, at now: UInt64) {
        let spent = now > stateEntryTime ? now - stateEntryTime : 0
        switch state {
        case .running: time.0 &+= spent
        case .runnable: time.1 &+= spent
        case .blocked: time.2 &+= spent
        case .offline: time.3 &+= spent
        }
        state = new
        stateEntryTime = max(now, stateEntryTime)
    }

    /// The guest's view, as a 64-bit guest lays it out.
    var info: vcpu_runstate_info {
        vcpu_runstate_info(state: state.rawValue, state_entry_time: stateEntryTime, time: time)
    }

    /// The same for a 32-bit guest (44 bytes, no padding after `state`).
    var compatInfo: compat_vcpu_runstate_info {
        compat_vcpu_runstate_info(state: state.rawValue, state_entry_time: stateEntryTime, time: time)
    }
}
