package io.parley.auth;

import io.parley.shared.Actor;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Account administration; ADMIN only. */
@RestController
@RequestMapping("/api/users")
@PreAuthorize("hasRole('ADMIN')")
class UserController {

  private final UserAdminService users;

  UserController(UserAdminService users) {
    this.users = users;
  }

  @PostMapping
  ResponseEntity<UserView> create(@Valid @RequestBody UserRequests.Create request) {
    UserView created = users.create(request, Actor.current());
    return ResponseEntity.created(URI.create("/api/users/" + created.id())).body(created);
  }

  @GetMapping
  Page<UserView> list(
      @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
    return users.list(PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  UserView get(@PathVariable UUID id) {
    return users.get(id);
  }

  @PatchMapping("/{id}")
  UserView update(@PathVariable UUID id, @Valid @RequestBody UserRequests.Update request) {
    return users.update(id, request, Actor.current());
  }
}
