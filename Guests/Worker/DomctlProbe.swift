import XenPublic

/// mode=domctl: a domain that is not privileged must not control domains.
/// Reading dom0's state and creating a domain must both fail with EPERM.
/// Powers off if they did, crashes if not, so dom0 sees the verdict too.
enum DomctlProbe {
    static func run() -> Never {
        let info = result { () throws(HypercallFailure) in _ = try Domctl.info(atOrAbove: 0) }
        let create = result { () throws(HypercallFailure) in
            let domain = try Domctl.create(name: GuestString("intruder"))
            // It should not exist; if it does, do not leave it behind.
            try? Domctl.destroy(domain)
        }
        let refused = -Int64(XEN_EPERM)
        let verdict: StaticString = info == refused && create == refused ? "ok" : "FAIL"
        print("worker: domctl getdomaininfo = \(info), createdomain = \(create): \(verdict)")
        SchedOp.shutdown(info == refused && create == refused ? .poweroff : .crash)
    }

    /// 0 if `body` succeeded, else the hypercall's raw result (-errno).
    private static func result(_ body: () throws(HypercallFailure) -> Void) -> Int64 {
        do { try body(); return 0 } catch { return error.result }
    }
}
