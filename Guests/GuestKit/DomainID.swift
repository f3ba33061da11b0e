/// A domain's number, as the hypervisor names it (domid_t): 0 is dom0,
/// the domains dom0 builds get the numbers the hypervisor picks for them.
typealias DomainID = UInt16
