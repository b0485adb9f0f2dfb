package dev.ferry.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.DefinitionParser;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.Page;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.IntegrationStore;
import dev.ferry.core.service.Definitions;
import java.time.Clock;
import java.time.Instant;

/**
 * The routes of what instances are made from: customers ({@code /customers}) and integrations with
 * their immutable versions ({@code /integrations}, {@code /integrations/{id}/versions}).
 */
public final class CatalogApi {
    private final CustomerStore customers;
    private final IntegrationStore integrations;
    private final IdGenerator ids;
    private final Clock clock;
    private final Definitions definitions;

    public CatalogApi(CustomerStore customers, IntegrationStore integrations, IdGenerator ids, Clock clock,
                      Definitions definitions) {
        this.customers = customers;
        this.integrations = integrations;
        this.ids = ids;
        this.clock = clock;
        this.definitions = definitions;
    }

    // ------------------------------------------------------------------ customers

    ApiResponse createCustomer(Call call) {
        ObjectNode body = Input.object(call.request());
        Input in = new Input();
        in.onlyFields(body, "name", "externalId");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        String externalId = in.optionalString(body, "externalId", Input.MAX_NAME);
        in.check();
        Customer c = new Customer(ids.newId("cus"), name, externalId, clock.instant());
        customers.create(c);
        return ApiResponse.json(201, Views.customer(c));
    }

    ApiResponse listCustomers(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        if (call.customerId() != null) {
            return ApiResponse.page(new Page<>(customers.get(call.customerId()).map(Views::customer).stream().toList(), null));
        }
        return ApiResponse.page(customers.list(limit, call.request().queryParam("cursor")).map(Views::customer));
    }

    ApiResponse getCustomer(Call call) {
        return ApiResponse.json(200, Views.customer(customer(call.id())));
    }

    /** The customer; NotFound when there is none. */
    Customer customer(String id) {
        return customers.get(id).orElseThrow(() -> new NotFoundException("customer", id));
    }

    // ------------------------------------------------------------------ integrations

    ApiResponse createIntegration(Call call) {
        IntegrationDefinition def = parseDefinition(call.request());
        Instant now = clock.instant();
        Integration integration = new Integration(ids.newId("int"), def.name(), 1, now, now);
        IntegrationVersion first = new IntegrationVersion(integration.id(), 1, def, now);
        integrations.create(integration, first);
        return ApiResponse.json(201, Views.integration(integration, first));
    }

    ApiResponse addVersion(Call call) {
        Integration integration = integration(call.id());
        IntegrationDefinition def = parseDefinition(call.request());
        IntegrationVersion next = new IntegrationVersion(integration.id(), integration.latestVersion() + 1, def,
                clock.instant());
        integrations.addVersion(next);
        return ApiResponse.json(201, Views.integrationVersion(next));
    }

    private static IntegrationDefinition parseDefinition(ApiRequest request) {
        if (request.body().length == 0) throw new ValidationException("body", "an integration definition is required");
        return DefinitionParser.parse(request.body(), request.header("content-type"));
    }

    ApiResponse listIntegrations(Call call) {
        Input in = new Input();
        in.onlyParams(call.request(), "limit", "cursor");
        int limit = in.limit(call.request());
        in.check();
        return ApiResponse.page(integrations.list(limit, call.request().queryParam("cursor"))
                .map(i -> Views.integration(i, null)));
    }

    ApiResponse getIntegration(Call call) {
        Integration integration = integration(call.id());
        Input in = new Input();
        in.onlyParams(call.request(), "version");
        in.check();
        int version = integration.latestVersion();
        String v = call.request().queryParam("version");
        if (v != null) {
            try {
                version = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ValidationException("version", "must be a whole number");
            }
        }
        return ApiResponse.json(200, Views.integration(integration, definitions.version(integration.id(), version)));
    }

    private Integration integration(String id) {
        return integrations.get(id).orElseThrow(() -> new NotFoundException("integration", id));
    }
}
