package io.rimedata.platform.tenancy;

import io.rimedata.platform.persistence.BaseEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A customer organisation, addressed as {@code <subdomain>.<base-domain>}. The root of every tenant-owned row. */
@Entity
@Table(name = "tenants")
public class Tenant extends BaseEntity {

    @Column(nullable = false, unique = true, length = 63)
    public String subdomain;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(nullable = false, length = 32)
    public String tier;

    @Column(name = "default_timezone", nullable = false, length = 64)
    public String defaultTimezone;

    @Column(nullable = false, length = 16)
    public String status;
}
