package server

// ssoRoutes declares the single sign-on routes.
func (s *Server) ssoRoutes(rt router) {}
