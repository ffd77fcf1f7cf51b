package dev.tollgate.gateway.routing;

import java.util.Optional;

import dev.tollgate.platform.web.ErrorFamilies;
import dev.tollgate.platform.web.ErrorFamily;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The gateway answers paths of both families; its route table already says which prefix belongs to which, so the
 * shared mappers and router refusals ask it rather than a second list in configuration.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RouteErrorFamilies extends ErrorFamilies {

    public RouteErrorFamilies() {
        super(Optional.empty());
    }

    @Override
    public ErrorFamily of(String path) {
        return RouteTable.familyOf(path);
    }
}
