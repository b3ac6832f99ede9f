package io.rimedata.audit.rest;

import io.rimedata.audit.AuditEventFilter;
import io.rimedata.audit.rest.AuditEventApi.AuditEventView;
import io.rimedata.audit.service.AuditEventService;
import io.rimedata.identity.Role;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.ErrorDetail;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.request.CallContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/audit-events")
@Tag(name = "Audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventResource {

    private static final Set<String> CATEGORIES = Set.of("auth", "resource", "governance");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z_]*(\\.[a-z][a-z_]*)*");
    private static final Pattern RESOURCE_TYPE = Pattern.compile("[a-z][a-z_]*");
    private static final int MAX_ACTION = 100;
    private static final int MAX_RESOURCE_TYPE = 64;
    private static final int MAX_RESOURCE_ID = 255;

    private final AuditEventService events;
    private final Pagination pagination;
    private final CallContext call;

    AuditEventResource(AuditEventService events, Pagination pagination, CallContext call) {
        this.events = events;
        this.pagination = pagination;
        this.call = call;
    }

    @GET
    @RolesAllowed(Role.GOVERNANCE_ADMIN_NAME)
    @Operation(summary = "List the tenant's audit log",
            description = "Newest first, cursor-paginated; the cursor is bound to the filters. Role: governance_admin "
                    + "(admins included). Entries appear asynchronously, usually within a second of the action.")
    @APIResponse(responseCode = "200", description = "A page of audit entries")
    @APIResponse(responseCode = "400", description = "A filter, `limit` or `cursor` is invalid (`validation_error`, "
            + "naming the parameter in `details[].field`)")
    @APIResponse(responseCode = "403", description = "The role is below governance_admin (`forbidden`)")
    public Uni<Page<AuditEventView>> list(
            @Parameter(description = "Only entries about this project.") @QueryParam("project_id") String projectId,
            @Parameter(description = "Only entries by this user or API key.") @QueryParam("actor_id") String actorId,
            @Parameter(description = "`auth`, `resource` or `governance`.") @QueryParam("category") String category,
            @Parameter(description = "One action, such as `resource.modified`.") @QueryParam("action") String action,
            @Parameter(description = "Kind of resource, such as `project`.") @QueryParam("resource_type") String resourceType,
            @Parameter(description = "Id of the resource.") @QueryParam("resource_id") String resourceId,
            @Parameter(description = "RFC 3339 time; entries at or after it.") @QueryParam("from") String from,
            @Parameter(description = "RFC 3339 time; entries before it.") @QueryParam("to") String to,
            @Parameter(description = "Page size, 1 to 100 (default 50).") @QueryParam("limit") String limit,
            @Parameter(description = "`next_cursor` of the previous page.") @QueryParam("cursor") String cursor) {
        List<ErrorDetail> problems = new ArrayList<>();
        AuditEventFilter filter = new AuditEventFilter(
                uuid("project_id", projectId, problems),
                uuid("actor_id", actorId, problems),
                oneOf("category", category, problems),
                matching("action", action, ACTION, MAX_ACTION, problems),
                matching("resource_type", resourceType, RESOURCE_TYPE, MAX_RESOURCE_TYPE, problems),
                bounded("resource_id", resourceId, problems),
                instant("from", from, problems),
                instant("to", to, problems));
        if (filter.from() != null && filter.to() != null && filter.to().isBefore(filter.from())) {
            problems.add(new ErrorDetail("to", "Must not be earlier than from."));
        }
        if (!problems.isEmpty()) {
            throw new BadRequest(BadRequest.DEFAULT_MESSAGE, problems);
        }
        PageRequest page = pagination.descending("audit-events", Pagination.filters(
                "project_id", text(filter.projectId()), "actor_id", text(filter.actorId()),
                "category", filter.category(), "action", filter.action(), "resource_type", filter.resourceType(),
                "resource_id", filter.resourceId(), "from", text(filter.from()), "to", text(filter.to())),
                limit, cursor);
        return events.list(call.tenant(), filter, page);
    }

    private static UUID uuid(String field, String value, List<ErrorDetail> problems) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            problems.add(new ErrorDetail(field, "Must be a UUID."));
            return null;
        }
    }

    private static String oneOf(String field, String value, List<ErrorDetail> problems) {
        if (value != null && !CATEGORIES.contains(value)) {
            problems.add(new ErrorDetail(field, "Must be one of auth, resource, governance."));
            return null;
        }
        return value;
    }

    private static String matching(String field, String value, Pattern pattern, int max, List<ErrorDetail> problems) {
        if (value != null && (value.length() > max || !pattern.matcher(value).matches())) {
            problems.add(new ErrorDetail(field, "Must be lowercase words joined by dots or underscores, at most "
                    + max + " characters."));
            return null;
        }
        return value;
    }

    private static String bounded(String field, String value, List<ErrorDetail> problems) {
        if (value != null && (value.isEmpty() || value.length() > MAX_RESOURCE_ID)) {
            problems.add(new ErrorDetail(field, "Must be 1 to " + MAX_RESOURCE_ID + " characters."));
            return null;
        }
        return value;
    }

    private static Instant instant(String field, String value, List<ErrorDetail> problems) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(new ErrorDetail(field, "Must be an RFC 3339 time such as 2026-11-28T15:49:22.123Z."));
            return null;
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
